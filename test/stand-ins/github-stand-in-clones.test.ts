import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitBasicCredentials } from '../../src/deployer/checkout.js';
import { type GitHubStandIn, startGitHubStandIn } from '../../src/stand-ins/github-stand-in.js';
import { createTestRepo, type TestRepo } from '../support/deployer/git-repo.js';

const run = promisify(execFile);
const PATH = process.env.PATH ?? '/usr/bin:/bin';
const TOKEN = 'ghp_cloneToken0123456789';

/** `git ls-remote` as the deployer runs git: the token in an extraHeader, never a prompt. */
async function listRemote(url: string, token?: string): Promise<{ ok: boolean; stdout: string }> {
  const header =
    token === undefined ? [] : [`http.extraHeader`, `Authorization: Basic ${gitBasicCredentials(token)}`];
  const env: Record<string, string> = { PATH, HOME: '/nonexistent', GIT_TERMINAL_PROMPT: '0' };
  if (header.length > 0)
    Object.assign(env, { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: header[0], GIT_CONFIG_VALUE_0: header[1] });
  try {
    const { stdout } = await run('git', ['ls-remote', url, 'refs/heads/main'], { env });
    return { ok: true, stdout };
  } catch {
    return { ok: false, stdout: '' };
  }
}

describe('the GitHub stand-in serving clones', () => {
  let repo: TestRepo;
  let github: GitHubStandIn;

  beforeAll(async () => {
    repo = await createTestRepo([{ VERSION: '1\n' }, { VERSION: '2\n' }]);
    github = await startGitHubStandIn({ token: TOKEN });
    github.addRepository('octo-org/web');
    github.serveClones('octo-org/web', { bareDir: repo.bareDir, path: PATH });
  });
  afterAll(async () => {
    await github.close();
    await repo.cleanup();
  });

  it('serves git smart HTTP at /{owner}/{name}.git to the token, as GitHub does', async () => {
    const listed = await listRemote(`${github.url}/octo-org/web.git`, TOKEN);
    expect(listed).toEqual({ ok: true, stdout: `${repo.shas[1]}\trefs/heads/main\n` });
  });

  it.each([
    ['no credentials', undefined],
    ['a wrong token', 'ghp_wrong'],
  ])('refuses %s', async (_what, token) => {
    expect((await listRemote(`${github.url}/octo-org/web.git`, token)).ok).toBe(false);
  });

  it('serves only the repositories it was told to', async () => {
    github.addRepository('octo-org/api');
    expect((await listRemote(`${github.url}/octo-org/api.git`, TOKEN)).ok).toBe(false);
    expect(() => github.serveClones('octo-org/nope', { bareDir: repo.bareDir, path: PATH })).toThrow();
  });
});

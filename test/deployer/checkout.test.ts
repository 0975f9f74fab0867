import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config-file.js';
import { selectSecrets } from '../../src/core/deploy-mask.js';
import {
  buildGitEnv,
  checkOutCommit,
  gitAuthorizationHeader,
  gitBasicCredentials,
  resolveFetchUrl,
  sendsGitHubToken,
} from '../../src/deployer/checkout.js';
import type { LogCapture } from '../../src/deployer/log-capture.js';
import { createSystemScheduler } from '../../src/system-scheduler.js';
import { type GitHttpServer, startGitHttpServer } from '../support/deployer/git-http.js';
import { createTestRepo, type TestRepo } from '../support/deployer/git-repo.js';

const TOKEN = 'ghs_installationToken1234567890';
const HOST = { path: process.env.PATH ?? '/usr/bin:/bin', home: tmpdir() };

/** A capture that keeps everything in memory, masked as the real one masks. */
function memoryCapture(secrets: readonly string[]): LogCapture & { text(): string } {
  let text = '';
  const mask = (s: string) =>
    selectSecrets(secrets).reduce((t, secret) => t.split(secret).join('[masked]'), s);
  return {
    write: (_source, chunk) => {
      text += mask(Buffer.from(chunk).toString('utf8'));
    },
    note: (line) => {
      text += `[deploybot] ${mask(line)}\n`;
    },
    endOutput: () => undefined,
    close: async () => undefined,
    closingLine: (line) => `[deploybot] ${mask(line)}\n`,
    text: () => text,
  };
}

describe('checking out a commit', () => {
  let repo: TestRepo;
  let server: GitHttpServer;
  let dir: string;

  beforeAll(async () => {
    repo = await createTestRepo([{ VERSION: '1\n' }, { VERSION: '2\n' }]);
    server = await startGitHttpServer(dirname(repo.bareDir));
  });
  afterAll(async () => {
    await server.close();
    await repo.cleanup();
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploybot-checkout-'));
    return () => rm(dir, { recursive: true, force: true });
  });

  const checkOut = (url: string, sha: string, capture: LogCapture, token: string | undefined) =>
    checkOutCommit({
      url,
      sha,
      dir,
      env: buildGitEnv(HOST, server.url, token),
      capture,
      signal: new AbortController().signal,
      graceMs: 1_000,
      time: createSystemScheduler(),
      onSpawn: () => undefined,
    });

  it('fetches from GitHub with the token in a header only: not in argv, .git/config or the log', async () => {
    const capture = memoryCapture([TOKEN, gitBasicCredentials(TOKEN)]);
    const url = `${server.url}/${basename(repo.bareDir)}`;
    expect(await checkOut(url, repo.shas[0] as string, capture, TOKEN)).toBe('done');

    expect(await readFile(join(dir, 'VERSION'), 'utf8')).toBe('1\n');
    expect(server.authorizations).toContain(`Basic ${gitBasicCredentials(TOKEN)}`);
    const gitConfig = await readFile(join(dir, '.git', 'config'), 'utf8');
    expect(gitConfig).not.toContain(TOKEN);
    expect(gitConfig).not.toContain(gitBasicCredentials(TOKEN));
    expect(capture.text()).toContain(
      `[deploybot] $ git fetch --quiet --no-tags --depth=1 -- ${url} ${repo.shas[0]}`,
    );
    expect(capture.text()).not.toContain('[masked]');
  });

  it('sends the token to GitHub only, never to another host', async () => {
    const before = server.authorizations.length;
    const capture = memoryCapture([]);
    // The same server under another name: the header is scoped to server.url.
    const url = `${server.url.replace('127.0.0.1', 'localhost')}/${basename(repo.bareDir)}`;
    expect(await checkOut(url, repo.shas[1] as string, capture, TOKEN)).toBe('done');
    expect(server.authorizations.length).toBeGreaterThan(before);
    expect(server.authorizations.slice(before).every((header) => header === '')).toBe(true);
  });

  it('refuses anything but a full sha before git runs', async () => {
    const capture = memoryCapture([]);
    await expect(
      checkOut(repo.bareDir, '--upload-pack=touch /tmp/x', capture, undefined),
    ).rejects.toMatchObject({
      code: 'invalid_ref',
    });
    expect(capture.text()).toBe('');
  });

  it('says which git step failed', async () => {
    const capture = memoryCapture([]);
    await expect(
      checkOut(join(dir, 'missing.git'), repo.shas[0] as string, capture, undefined),
    ).rejects.toMatchObject({ code: 'checkout_failed', message: 'git fetch exited with code 128' });
  });
});

describe('git access', () => {
  const config = parseConfig(
    JSON.stringify({
      slack: { channel: 'C0DEPLOYS' },
      repos: {
        'octo-org/web': {
          environments: { staging: { provider: { type: 'script', command: ['./deploy'] } } },
        },
        'octo-org/api': {
          clone_url: './repos/api.git',
          environments: { staging: { provider: { type: 'http', url: 'https://deploy.example.com' } } },
        },
      },
    }),
    'deploybot.yml',
  );

  it('passes the token in the environment, scoped to GitHub, and nothing else of deploybot', () => {
    const env = buildGitEnv({ path: '/usr/bin', home: '/home/d' }, 'https://github.com', 'ghp_secret');
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/d',
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_COUNT: '3',
      GIT_CONFIG_KEY_0: 'protocol.ext.allow',
      GIT_CONFIG_VALUE_0: 'never',
      GIT_CONFIG_KEY_1: 'advice.detachedHead',
      GIT_CONFIG_VALUE_1: 'false',
      GIT_CONFIG_KEY_2: 'http.https://github.com/.extraHeader',
      GIT_CONFIG_VALUE_2: `Authorization: Basic ${Buffer.from('x-access-token:ghp_secret').toString('base64')}`,
    });
    expect(gitAuthorizationHeader('ghp_secret')).toBe(env.GIT_CONFIG_VALUE_2);
    expect(buildGitEnv({ path: '/p', home: '/h' }, 'https://github.com', undefined).GIT_CONFIG_COUNT).toBe(
      '2',
    );
  });

  it.each([
    ['https://github.com/octo-org/web.git', 'https://github.com', true],
    ['https://GitHub.com/octo-org/web.git', 'https://github.com', true],
    ['https://github.com.evil.example/octo-org/web.git', 'https://github.com', false],
    ['https://gitlab.example.com/octo-org/web.git', 'https://github.com', false],
    ['/srv/repos/web.git', 'https://github.com', false],
    ['http://127.0.0.1:8080/octo-org/web.git', 'http://127.0.0.1:8080', true],
    ['http://127.0.0.1:9090/octo-org/web.git', 'http://127.0.0.1:8080', false],
    ['https://ghe.example.com/octo-org/web.git', 'https://ghe.example.com/', true],
  ])('git sends the token to %s (GitHub at %s): %s', (url, github, sends) => {
    expect(sendsGitHubToken(url, github)).toBe(sends);
  });

  it('fetches from clone_url, relative to the working directory, else from GitHub', () => {
    const access = { githubWebUrl: 'https://github.com', token: async () => 't' };
    const [web, api] = config.repos;
    expect(resolveFetchUrl(web!, access, '/srv')).toBe('https://github.com/octo-org/web.git');
    expect(resolveFetchUrl(api!, access, '/srv/deploybot')).toBe('/srv/deploybot/repos/api.git');
  });
});

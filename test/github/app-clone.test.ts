import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubAuth, getGitToken } from '../../src/github/client.js';
import { createLogger } from '../../src/logger.js';
import { deployConfig } from '../support/deployer/deploy-harness.js';
import { createDeployerRig, type DeployerRig } from '../support/deployer/deployer-rig.js';
import { FIXTURE_SCRIPT, readJson } from '../support/deployer/files.js';
import { type GitHttpServer, startGitHttpServer } from '../support/deployer/git-http.js';
import { createTestRepo, type TestRepo } from '../support/deployer/git-repo.js';

describe('a checkout by a GitHub App on several installations', () => {
  let repo: TestRepo;
  let root: string;
  let server: GitHttpServer;
  let rig: DeployerRig | undefined;
  beforeAll(async () => {
    repo = await createTestRepo([{ VERSION: '3\n' }]);
    // Served where deploybot looks for a repository without clone_url: GITHUB_WEB/owner/name.git.
    root = await mkdtemp(join(tmpdir(), 'deploybot-git-root-'));
    await mkdir(join(root, 'octo-org'));
    await cp(repo.bareDir, join(root, 'octo-org', 'web.git'), { recursive: true });
    server = await startGitHttpServer(root);
  });
  afterAll(async () => {
    await rig?.close();
    await server.close();
    await repo.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  it('fetches with a token of the installation that covers the repository', async () => {
    const asked: string[] = [];
    let fetchToken: (repository: string) => Promise<string> = async () => 'not yet';
    rig = await createDeployerRig({
      config: (resultDir) =>
        deployConfig({
          staging: {
            provider: {
              type: 'script',
              command: [process.execPath, FIXTURE_SCRIPT, 'record'],
              env: { RESULT_DIR: resultDir },
            },
          },
        }),
      githubWebUrl: server.url,
      gitToken: (repository) => {
        asked.push(repository);
        return fetchToken(repository);
      },
    });
    const app = rig.github.createApp();
    rig.github.installApp(app.id, 'acme');
    rig.github.installApp(app.id, 'octo-org');
    const auth: GitHubAuth = { kind: 'app', appId: String(app.id), privateKey: app.privateKey };
    const client = createGitHubClient({
      auth,
      baseUrl: rig.github.url,
      fetch: globalThis.fetch,
      logger: createLogger({ level: 'silent' }),
      userAgent: 'deploybot',
      retryBaseMs: 5,
      retries: 2,
      writeIntervalMs: 0,
      clock: { now: () => Date.now() },
    });
    fetchToken = (repository) => getGitToken(client, auth, repository);

    await rig.deployer.start();
    const { id } = await rig.deploy('staging', repo.shas[0]);
    await rig.github.waitForStatus(id, 'success', { timeoutMs: 20_000 });
    expect((await readJson<{ version: string }>(join(rig.resultDir, `run-${id}.json`))).version).toBe('3\n');

    expect(asked).toEqual(['octo-org/web']);
    const sent = server.authorizations.find((header) => header.startsWith('Basic '));
    const token = Buffer.from(sent?.slice('Basic '.length) ?? '', 'base64')
      .toString('utf8')
      .split(':')[1];
    expect(token).toMatch(/^ghs_/);
    const reach = async (repository: string) =>
      (
        await fetch(`${rig?.github.url}/repos/${repository}`, {
          headers: { authorization: `token ${token}` },
        })
      ).status;
    expect(await reach('octo-org/web')).toBe(200);
    expect(rig.github.requests.filter((r) => r.path.endsWith('/installation')).map((r) => r.path)).toEqual([
      '/repos/octo-org/web/installation',
    ]);
  });
});

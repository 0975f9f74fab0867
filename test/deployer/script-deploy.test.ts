import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type DeployHarness,
  deployConfig,
  REPO,
  readLogPage,
  startDeployHarness,
} from '../support/deployer/deploy-harness.js';
import { FIXTURE_SCRIPT, readJson } from '../support/deployer/files.js';
import { createTestRepo, type TestRepo } from '../support/deployer/git-repo.js';
import { SECRETS } from '../support/harness.js';

interface Recorded {
  env: Record<string, string>;
  cwd: string;
  version: string | null;
  gitConfig: string | null;
}

const PROVIDER_SECRET = 'provider-api-key-7Hq2';
const WAIT = { timeoutMs: 20_000 };

describe('script deploys from a real git repository', () => {
  let repo: TestRepo;
  let h: DeployHarness;

  beforeAll(async () => {
    repo = await createTestRepo([
      { VERSION: '1\n', 'script/deploy.mjs': readFileSync(FIXTURE_SCRIPT, 'utf8') },
      { VERSION: '2\n' },
    ]);
  });
  afterAll(async () => {
    await repo.cleanup();
  });

  beforeEach(async () => {
    h = await startDeployHarness((resultDir) => {
      const script = (...args: string[]) => ({
        type: 'script' as const,
        command: [process.execPath, 'script/deploy.mjs', ...args],
        env: { RESULT_DIR: resultDir, API_KEY: PROVIDER_SECRET },
      });
      return deployConfig(
        {
          staging: { url: 'https://staging.example.com', provider: script('record') },
          qa: { provider: script('record', '3') },
          sandbox: { provider: { type: 'script', command: ['./script/missing'] } },
        },
        repo.bareDir,
      );
    });
  });
  afterEach(async () => {
    const schemaErrors = [...h.github.schemaErrors];
    await h.stop();
    expect(schemaErrors).toEqual([]);
  });

  it('runs the script in a fresh working copy at the exact sha, with exactly the documented variables', async () => {
    const sha = repo.shas[0] as string;
    const payload = { deploy_user: 'alice', notify: { adapter: 'slack', channel: 'C0WEB' } };
    const deployment = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha,
      environment: 'staging',
      payload,
      creator: 'octocat',
    });

    const pending = await h.github.waitForStatus(deployment.id, 'pending', WAIT);
    const success = await h.github.waitForStatus(deployment.id, 'success', WAIT);
    expect(pending.log_url).toMatch(new RegExp(`/deploys/${deployment.id}/[A-Za-z0-9_-]{32}$`));
    expect(success.log_url).toBe(pending.log_url);
    expect(success.environment_url).toBe('https://staging.example.com');
    expect(success.description).toMatch(/^deployed in \d/);
    expect(h.github.statuses(deployment.id).map((s) => s.state)).toEqual(['pending', 'success']);

    const seen = await readJson<Recorded>(join(h.resultDir, `run-${deployment.id}.json`));
    // The first commit, not what main points at now.
    expect(seen.version).toBe('1\n');
    expect(Object.keys(seen.env).sort()).toEqual(
      [
        'API_KEY',
        'BRANCH',
        'DEPLOY_ENV',
        'DEPLOY_ENVIRONMENT',
        'DEPLOY_ID',
        'DEPLOY_LOG_URL',
        'DEPLOY_PAYLOAD',
        'DEPLOY_REF',
        'DEPLOY_REPO',
        'DEPLOY_SHA',
        'DEPLOY_TASK',
        'DEPLOY_USER',
        'HOME',
        'PATH',
        'RESULT_DIR',
        'SHA',
      ].sort(),
    );
    expect(seen.env).toMatchObject({
      DEPLOY_ID: String(deployment.id),
      DEPLOY_REPO: REPO,
      DEPLOY_REF: 'main',
      DEPLOY_SHA: sha,
      DEPLOY_ENVIRONMENT: 'staging',
      DEPLOY_TASK: 'deploy',
      DEPLOY_USER: 'alice',
      DEPLOY_LOG_URL: pending.log_url,
      BRANCH: 'main',
      SHA: sha,
      DEPLOY_ENV: 'staging',
      API_KEY: PROVIDER_SECRET,
    });
    expect(JSON.parse(seen.env.DEPLOY_PAYLOAD as string)).toEqual(payload);
    for (const secret of Object.values(SECRETS)) {
      expect(JSON.stringify(seen.env)).not.toContain(secret);
      expect(seen.gitConfig).not.toContain(secret);
    }
    expect(seen.gitConfig).not.toMatch(/extraheader|authorization/i);
    expect(existsSync(seen.cwd)).toBe(false);

    const log = await readLogPage(h.url, success.log_url);
    expect(log).toMatchObject({ state: 'success', final: true });
    expect(log.text).toContain(`$ git fetch --quiet --no-tags --depth=1 -- ${repo.bareDir} ${sha}`);
    expect(log.text).toContain('deploying version 1 of octo-org/web');
    expect(log.text).toContain('a line on stderr');
    expect(log.text).toContain('[deploybot] success: deployed in');
  });

  it('reports a non-zero exit as failure, with the exit code', async () => {
    const deployment = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: repo.shas[1] as string,
      environment: 'qa',
    });
    const failure = await h.github.waitForStatus(deployment.id, 'failure', WAIT);
    expect(failure.description).toBe('script exited with code 3');
    expect(failure.environment_url).toBe('');
    const seen = await readJson<Recorded>(join(h.resultDir, `run-${deployment.id}.json`));
    expect(seen.version).toBe('2\n');
    expect(seen.env.DEPLOY_USER).toBe('octocat');
  });

  it('reports a commit that is not in the repository as error: the checkout failed', async () => {
    const deployment = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: 'f'.repeat(40),
      environment: 'staging',
    });
    const error = await h.github.waitForStatus(deployment.id, 'error', WAIT);
    expect(error.description).toBe('could not check out fffffff: the commit is not in the repository');
    const log = await readLogPage(h.url, error.log_url);
    expect(log.text).toContain('fetching every branch and tag instead');
    expect(existsSync(join(h.resultDir, 'runs.log'))).toBe(false);
  });

  it('reports a command that cannot be started as error', async () => {
    const deployment = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: repo.shas[1] as string,
      environment: 'sandbox',
    });
    const error = await h.github.waitForStatus(deployment.id, 'error', WAIT);
    expect(error.description).toBe('could not start ./script/missing: no such file or directory');
  });
});

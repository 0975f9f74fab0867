import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GitHubStandIn, startGitHubStandIn } from '../../src/stand-ins/github-stand-in.js';
import { type SlackStandIn, startSlackStandIn } from '../../src/stand-ins/slack-stand-in.js';
import { type RunningBot, spawnBot, waitForHealthy } from '../support/child-process.js';
import { deployConfig, fixtureProvider, REPO } from '../support/deployer/deploy-harness.js';
import {
  FIXTURE_SCRIPT,
  isProcessAlive,
  readJson,
  readRuns,
  release,
  waitForFile,
} from '../support/deployer/files.js';
import { createTestRepo, type TestRepo } from '../support/deployer/git-repo.js';
import { botEnv, freePort } from '../support/deployer/spawned-bot.js';
import { SECRETS } from '../support/harness.js';

const SHA = 'e'.repeat(40);
const WAIT = { timeoutMs: 30_000 };

describe('a deploybot stopped mid-deploy (node dist/main.js)', () => {
  let dir: string;
  let github: GitHubStandIn;
  let slack: SlackStandIn;
  const bots: RunningBot[] = [];
  const repos: TestRepo[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploybot-restart-'));
    github = await startGitHubStandIn({
      token: SECRETS.githubToken,
      webhookSecret: SECRETS.githubWebhookSecret,
    });
    slack = await startSlackStandIn({ botToken: SECRETS.slackBotToken });
    github.addRepository(REPO);
  });
  afterEach(async () => {
    for (const bot of bots.splice(0)) {
      if (bot.child.exitCode === null && bot.child.signalCode === null) {
        bot.child.kill('SIGKILL');
        await bot.exited;
      }
    }
    await github.close();
    await slack.close();
    await rm(dir, { recursive: true, force: true });
    for (const repo of repos.splice(0)) await repo.cleanup();
  });

  it('reports error for the interrupted deploy, stops what it left running, and runs the next one', {
    timeout: 90_000,
  }, async () => {
    const resultDir = join(dir, 'results');
    // A checkout, so there is a working copy for the restart to remove.
    const repo = await createTestRepo([{ 'script/deploy.mjs': readFileSync(FIXTURE_SCRIPT, 'utf8') }]);
    repos.push(repo);
    const sha = repo.shas[0] as string;
    await writeFile(
      join(dir, 'deploybot.yml'),
      deployConfig(
        {
          staging: {
            provider: {
              type: 'script',
              command: [process.execPath, 'script/deploy.mjs', 'gate'],
              env: { RESULT_DIR: resultDir },
            },
          },
        },
        repo.bareDir,
      ),
    );
    await mkdir(resultDir);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = botEnv({ port, dir, github, slack });
    const start = async () => {
      const bot = spawnBot(env, dir);
      bots.push(bot);
      await waitForHealthy(url, bot);
      return bot;
    };

    const first = await start();
    github.webhookUrl = `${url}/github/webhooks`;
    const interrupted = github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha,
      environment: 'staging',
    });
    await waitForFile(join(resultDir, `started-${interrupted.id}`));
    const next = github.createDeploymentDirectly(REPO, { ref: 'main', sha, environment: 'staging' });
    await github.waitForStatus(next.id, 'queued', WAIT);

    first.child.kill('SIGKILL');
    await first.exited;
    // The script runs in its own process group, so it outlived deploybot.
    const { pid: orphan, cwd } = await readJson<{ pid: number; cwd: string }>(
      join(resultDir, `started-${interrupted.id}`),
    );
    expect(isProcessAlive(orphan)).toBe(true);
    expect(existsSync(cwd)).toBe(true);

    const second = await start();
    const error = await github.waitForStatus(interrupted.id, 'error', WAIT);
    expect(error.description).toBe('the deploybot process running it stopped');
    expect(isProcessAlive(orphan)).toBe(false);
    expect(existsSync(cwd)).toBe(false);

    await waitForFile(join(resultDir, `started-${next.id}`));
    await release(resultDir, next.id);
    await github.waitForStatus(next.id, 'success', WAIT);
    expect(await readRuns(resultDir)).toEqual([interrupted.id, next.id]);
    expect(github.statuses(interrupted.id).map((s) => s.state)).toEqual(['pending', 'error']);
    expect(github.statuses(next.id).map((s) => s.state)).toEqual(['queued', 'pending', 'success']);

    const log = await fetch(`${url}${new URL(error.log_url).pathname}/log.json`).then((r) => r.json());
    expect(log).toMatchObject({ state: 'error', final: true });

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    for (const secret of Object.values(SECRETS)) expect(second.output()).not.toContain(secret);
  });

  it('ends a deploy still running when the grace period ends: error, every process it started gone, a clean exit', async () => {
    const resultDir = join(dir, 'results');
    await writeFile(
      join(dir, 'deploybot.yml'),
      deployConfig({ production: { provider: fixtureProvider(resultDir, ['tree']) } }),
    );
    await mkdir(resultDir);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const bot = spawnBot({ ...botEnv({ port, dir, github, slack }), SHUTDOWN_GRACE_SECONDS: '1' }, dir);
    bots.push(bot);
    await waitForHealthy(url, bot);
    github.webhookUrl = `${url}/github/webhooks`;
    const deployment = github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'production',
    });
    await waitForFile(join(resultDir, `pids-${deployment.id}.json`));
    const pids = await readJson<{ script: number; grandchild: number }>(
      join(resultDir, `pids-${deployment.id}.json`),
    );

    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    const error = await github.waitForStatus(deployment.id, 'error', WAIT);
    expect(error.description).toBe('deploybot stopped during the deploy');
    expect(isProcessAlive(pids.script)).toBe(false);
    expect(isProcessAlive(pids.grandchild)).toBe(false);
    expect(github.statuses(deployment.id).map((s) => s.state)).toEqual(['pending', 'error']);
  });
});

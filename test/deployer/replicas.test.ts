import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GitHubStandIn, startGitHubStandIn } from '../../src/stand-ins/github-stand-in.js';
import { type SlackStandIn, startSlackStandIn } from '../../src/stand-ins/slack-stand-in.js';
import { type RunningBot, spawnBot, waitForHealthy } from '../support/child-process.js';
import { createPostgresDatabase } from '../support/databases.js';
import { deployConfig, fixtureProvider, REPO } from '../support/deployer/deploy-harness.js';
import { readJson, readRuns, release, waitForFile } from '../support/deployer/files.js';
import { botEnv, freePort } from '../support/deployer/spawned-bot.js';
import { SECRETS } from '../support/harness.js';

const SHA = 'e'.repeat(40);
const WAIT = { timeoutMs: 30_000 };

/** Two `node dist/main.js` processes on one store, as a rolling update runs them. */
describe('several deploybot processes (node dist/main.js)', () => {
  let dir: string;
  let github: GitHubStandIn;
  let slack: SlackStandIn;
  const bots: RunningBot[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploybot-replicas-'));
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
  });

  async function startBot(env: Record<string, string>) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const bot = spawnBot({ ...botEnv({ port, dir, github, slack }), ...env }, dir);
    bots.push(bot);
    await waitForHealthy(url, bot);
    return { bot, url, runnerPrefix: `${hostname()}:${bot.child.pid}:` };
  }

  const deploy = () =>
    github.createDeploymentDirectly(REPO, { ref: 'main', sha: SHA, environment: 'production' });

  it('rolling restart on PostgreSQL: the old process finishes its deploy, the new one runs the next', {
    timeout: 90_000,
  }, async () => {
    const database = await createPostgresDatabase();
    if (database.setting.kind !== 'postgres') throw new Error('a PostgreSQL database was expected');
    const databaseUrl = database.setting.url;
    const resultDir = join(dir, 'results');
    await mkdir(resultDir);
    await writeFile(
      join(dir, 'deploybot.yml'),
      deployConfig({ production: { provider: fixtureProvider(resultDir, ['sleep', '3000']) } }),
    );
    const env = { DATABASE_URL: databaseUrl, SHUTDOWN_GRACE_SECONDS: '25' };
    const readRow = async (id: number) => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const result = await client.query('select * from deploy_jobs where deployment_id = $1', [id]);
        return result.rows[0] as Record<string, unknown> | undefined;
      } finally {
        await client.end();
      }
    };

    const a = await startBot(env);
    github.webhookUrl = `${a.url}/github/webhooks`;
    const first = deploy();
    await waitForFile(join(resultDir, `started-${first.id}`));
    const b = await startBot(env);

    // Its 3 seconds start now, however long B took to start.
    await release(resultDir, first.id);
    a.bot.child.kill('SIGTERM');
    // Draining: the load balancer is told at once, while the deploy goes on.
    let health = 200;
    for (let tries = 0; health !== 503 && tries < 50; tries++) {
      health = (await fetch(`${a.url}/healthz`)).status;
      if (health !== 503) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(health).toBe(503);
    expect(existsSync(join(resultDir, `done-${first.id}`))).toBe(false);
    expect(await a.bot.exited).toBe(0);

    const success = await github.waitForStatus(first.id, 'success', WAIT);
    expect(success.description).toMatch(/^deployed in \d/);
    expect(github.statuses(first.id).map((s) => s.state)).toEqual(['pending', 'success']);
    const done = await readJson<{ pid: number }>(join(resultDir, `done-${first.id}`));
    const started = await readJson<{ pid: number }>(join(resultDir, `started-${first.id}`));
    expect(done.pid).toBe(started.pid);
    // B never took it over: A held it to the end.
    expect(String((await readRow(first.id))?.runner)).toMatch(new RegExp(`^${a.runnerPrefix}`));
    expect(b.bot.output()).not.toContain('the process running the deploy stopped');

    github.webhookUrl = `${b.url}/github/webhooks`;
    const next = deploy();
    await waitForFile(join(resultDir, `started-${next.id}`));
    await release(resultDir, next.id);
    await github.waitForStatus(next.id, 'success', WAIT);
    expect(String((await readRow(next.id))?.runner)).toMatch(new RegExp(`^${b.runnerPrefix}`));
    expect(await readRuns(resultDir)).toEqual([first.id, next.id]);

    b.bot.child.kill('SIGTERM');
    expect(await b.bot.exited).toBe(0);
  });

  it('a second process on one SQLite file refuses to start, naming the first; after a crash a new one starts', {
    timeout: 90_000,
  }, async () => {
    await writeFile(
      join(dir, 'deploybot.yml'),
      deployConfig({ production: { provider: { type: 'external' } } }),
    );
    const a = await startBot({});

    const port = await freePort();
    const second = spawnBot(botEnv({ port, dir, github, slack }), dir);
    bots.push(second);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(
      `Another deploybot process (host ${hostname()}, pid ${a.bot.child.pid}) is using the SQLite database`,
    );
    expect(second.output()).toContain('DATABASE_URL=postgres://');
    // The first one goes on as before.
    expect((await fetch(`${a.url}/healthz`)).status).toBe(200);

    a.bot.child.kill('SIGKILL');
    await a.bot.exited;
    const restarted = await startBot({});
    restarted.bot.child.kill('SIGTERM');
    expect(await restarted.bot.exited).toBe(0);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnBot, waitForHealthy } from './support/child-process.js';
import { startGitHubStandIn } from './support/github-stand-in.js';
import { DEFAULT_CONFIG, SECRETS } from './support/harness.js';
import { startSlackStandIn } from './support/slack-stand-in.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('npm start (node dist/main.js)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploybot-main-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('without settings or config names every missing one and how to get it, and exits 1 before listening', async () => {
    const bot = spawnBot({}, dir);
    expect(await bot.exited).toBe(1);
    const output = bot.output();
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'GITHUB_TOKEN', 'GITHUB_WEBHOOK_SECRET']) {
      expect(output).toContain(name);
    }
    expect(output).toContain('manifest.yml');
    expect(output).toContain('cp deploybot.example.yml deploybot.yml');
    expect(output).not.toMatch(/at .*\.js:\d+/);
  });

  it('names every problem of a malformed config and setting in one message, never a token', async () => {
    await writeFile(
      join(dir, 'deploybot.yml'),
      'slack:\n  channel: "#deploys"\nrepos:\n  octo-org/web:\n    environments:\n      staging:\n        deploy_on_merg: main\n        provider: { type: script, command: [], timeout: -1 }\n',
    );
    const bot = spawnBot(
      {
        SLACK_BOT_TOKEN: SECRETS.slackBotToken,
        SLACK_SIGNING_SECRET: SECRETS.slackSigningSecret,
        GITHUB_TOKEN: SECRETS.githubToken,
        GITHUB_WEBHOOK_SECRET: SECRETS.githubWebhookSecret,
        PORT: 'eighty',
      },
      dir,
    );
    expect(await bot.exited).toBe(1);
    const output = bot.output();
    expect(output).toContain('PORT');
    expect(output).toContain('slack.channel');
    expect(output).toContain('deploy_on_merg');
    expect(output).toContain('provider.command');
    expect(output).toContain('provider.timeout');
    for (const secret of Object.values(SECRETS)) expect(output).not.toContain(secret);
  });

  it('starts with valid settings, serves /healthz, logs no secret and stops on SIGTERM', async () => {
    const github = await startGitHubStandIn({
      token: SECRETS.githubToken,
      webhookSecret: SECRETS.githubWebhookSecret,
    });
    const slack = await startSlackStandIn({ botToken: SECRETS.slackBotToken });
    try {
      await writeFile(join(dir, 'deploybot.yml'), DEFAULT_CONFIG);
      const port = await freePort();
      const bot = spawnBot(
        {
          PORT: String(port),
          SLACK_BOT_TOKEN: SECRETS.slackBotToken,
          SLACK_SIGNING_SECRET: SECRETS.slackSigningSecret,
          SLACK_API_URL: slack.apiUrl,
          GITHUB_TOKEN: SECRETS.githubToken,
          GITHUB_WEBHOOK_SECRET: SECRETS.githubWebhookSecret,
          GITHUB_API_URL: github.url,
          LOG_LEVEL: 'trace',
        },
        dir,
      );
      await waitForHealthy(`http://127.0.0.1:${port}`, bot);
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
      const output = bot.output();
      expect(output).toContain('deploybot is listening');
      for (const secret of Object.values(SECRETS)) expect(output).not.toContain(secret);
    } finally {
      await github.close();
      await slack.close();
    }
  });
});

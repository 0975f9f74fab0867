import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubStandIn } from '../src/stand-ins/github-stand-in.js';
import { startSlackStandIn } from '../src/stand-ins/slack-stand-in.js';
import { freePort, spawnBot, waitForHealthy } from './support/child-process.js';
import { DEFAULT_CONFIG, SECRETS, standInEnv } from './support/harness.js';

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
          ...standInEnv(github, slack),
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

  it('with SLACK_APP_TOKEN connects over Socket Mode, whose client the bundle loads only then', async () => {
    const github = await startGitHubStandIn({
      token: SECRETS.githubToken,
      webhookSecret: SECRETS.githubWebhookSecret,
    });
    const slack = await startSlackStandIn({
      botToken: SECRETS.slackBotToken,
      appToken: SECRETS.slackAppToken,
    });
    try {
      await writeFile(join(dir, 'deploybot.yml'), DEFAULT_CONFIG);
      const port = await freePort();
      const bot = spawnBot(
        { PORT: String(port), ...standInEnv(github, slack), SLACK_APP_TOKEN: SECRETS.slackAppToken },
        dir,
      );
      await waitForHealthy(`http://127.0.0.1:${port}`, bot);
      await slack.waitForSocket();
      const ack = await slack.sendSocketEnvelope(
        'slash_commands',
        slack.slashCommandPayload({ text: 'help', userId: 'U0ALICE', channelId: 'C0WEB' }),
      );
      expect(JSON.stringify(ack.payload)).toContain('/deploy');
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
    } finally {
      await github.close();
      await slack.close();
    }
  });

  it('without GitHub credentials also names npm run setup, the App in one click', async () => {
    await writeFile(join(dir, 'deploybot.yml'), DEFAULT_CONFIG);
    const bot = spawnBot(
      {
        SLACK_BOT_TOKEN: SECRETS.slackBotToken,
        SLACK_SIGNING_SECRET: SECRETS.slackSigningSecret,
        GITHUB_WEBHOOK_SECRET: SECRETS.githubWebhookSecret,
      },
      dir,
    );
    expect(await bot.exited).toBe(1);
    const output = bot.output();
    expect(output).toContain('GITHUB_TOKEN: is not set');
    expect(output).toContain('Run `npm run setup` to register deploybot as a GitHub App in one click');
    expect(output).not.toContain('deploybot is listening');
  });

  it('refuses a command it does not know, naming the ones it does', async () => {
    const bot = spawnBot({}, dir, ['deploy']);
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toContain('Unknown command "deploy"');
    expect(bot.output()).toContain('setup');
    expect(bot.output()).toContain('check');
  });
});

describe('npm run setup (node dist/main.js setup)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploybot-main-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves only the setup page on PORT, behind the one-time code it prints, without any credential', async () => {
    const github = await startGitHubStandIn({ token: SECRETS.githubToken });
    try {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const bot = spawnBot({ PORT: String(port), PUBLIC_URL: base, GITHUB_API_URL: github.url }, dir, [
        'setup',
        '--write-env',
        '.env',
      ]);
      const deadline = Date.now() + 20_000;
      while (!/code=[\w-]+/.test(bot.output()) && Date.now() < deadline && bot.child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const code = /One-time code: ([\w-]+)/.exec(bot.output())?.[1];
      expect(bot.output()).toContain(`${base}/setup/github?code=${code}`);
      expect(bot.output()).toContain(`written to ${join(dir, '.env')}`);
      expect((await fetch(`${base}/setup/github`)).status).toBe(401);
      const page = await fetch(`${base}/setup/github?code=${code}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Create GitHub App');
      // Nothing else of deploybot runs: no Slack, no webhooks.
      expect((await fetch(`${base}/github/webhooks`, { method: 'POST' })).status).toBe(404);
      expect((await fetch(`${base}/slack/events`, { method: 'POST' })).status).toBe(404);
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
    } finally {
      await github.close();
    }
  });
});

describe('npm run check (node dist/main.js check)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploybot-main-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const checkEnv = standInEnv;

  it('exits 0 when Slack and GitHub give deploybot all it needs, 1 and the fix when not', async () => {
    const github = await startGitHubStandIn({ token: SECRETS.githubToken });
    const slack = await startSlackStandIn({ botToken: SECRETS.slackBotToken });
    try {
      await writeFile(join(dir, 'deploybot.yml'), DEFAULT_CONFIG);
      github.addRepository('octo-org/web');
      github.setRef('octo-org/web', 'main', 'a'.repeat(40));
      const failing = spawnBot(checkEnv(github, slack), dir, ['check']);
      expect(await failing.exited).toBe(1);
      expect(failing.output()).toContain('✓ octo-org/web: readable');
      expect(failing.output()).toContain('✗ octo-org/api: not readable');
      expect(failing.output()).toContain('1 thing to fix');

      github.addRepository('octo-org/api');
      github.setRef('octo-org/api', 'main', 'b'.repeat(40));
      const passing = spawnBot(checkEnv(github, slack), dir, ['check']);
      expect(await passing.exited).toBe(0);
      expect(passing.output()).toContain('✓ Slack: signed in as @deploybot');
      expect(passing.output()).toContain('Everything deploybot needs holds.');
      for (const secret of Object.values(SECRETS)) expect(passing.output()).not.toContain(secret);
    } finally {
      await github.close();
      await slack.close();
    }
  });

  it('validates the settings and deploybot.yml as start does before asking anyone', async () => {
    const bot = spawnBot({ PORT: 'eighty' }, dir, ['check']);
    expect(await bot.exited).toBe(1);
    const output = bot.output();
    for (const name of [
      'PORT',
      'SLACK_BOT_TOKEN',
      'GITHUB_TOKEN',
      'cp deploybot.example.yml deploybot.yml',
    ]) {
      expect(output).toContain(name);
    }
    expect(output).not.toContain('✓');
  });
});

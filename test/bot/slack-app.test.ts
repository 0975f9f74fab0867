import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, SECRETS, startHarness } from '../support/harness.js';

describe('Slack, HTTP mode', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('verifies the token with auth.test at start', async () => {
    h = await startHarness();
    const call = h.slack.calls.find((c) => c.method === 'auth.test');
    expect(call?.token).toBe(SECRETS.slackBotToken);
  });

  it('answers a signed /deploy on POST /slack/events', async () => {
    h = await startHarness();
    const response = await h.slack.sendSlashCommand(`${h.url}/slack/events`, SECRETS.slackSigningSecret, {
      text: 'help',
      userId: 'U0ALICE',
      channelId: 'C0WEB',
    });
    expect(response.status).toBe(200);
    expect(response.body).toContain('/deploy');
  });

  it.each([
    ['a wrong signature', { signature: `v0=${'0'.repeat(64)}` }],
    ['a stale timestamp', { timestamp: Math.floor(Date.now() / 1000) - 600 }],
  ])('refuses a slash command with %s', async (_name, opts) => {
    h = await startHarness();
    const response = await h.slack.sendSlashCommand(
      `${h.url}/slack/events`,
      SECRETS.slackSigningSecret,
      { text: 'help', userId: 'U0ALICE', channelId: 'C0WEB' },
      opts,
    );
    expect(response.status).toBe(401);
  });

  it('answers a mention in its thread, to the asker only', async () => {
    h = await startHarness();
    const response = await h.slack.sendEvent(`${h.url}/slack/events`, SECRETS.slackSigningSecret, {
      type: 'app_mention',
      user: 'U0ALICE',
      channel: 'C0WEB',
      text: '<@UDEPLOYBOT> help',
      ts: '1700000000.000100',
    });
    expect(response.status).toBe(200);
    // Help is for the asker only: an ephemeral message in the mention's thread.
    const reply = await h.slack.waitForCall('chat.postEphemeral', (c) => c.args.channel === 'C0WEB');
    expect(reply.args).toMatchObject({ user: 'U0ALICE', thread_ts: '1700000000.000100' });
    expect(String(reply.args.text)).toContain('/deploy');
  });

  it('refuses to start when Slack refuses the token, naming the setting', async () => {
    await expect(startHarness({ env: { SLACK_BOT_TOKEN: 'xoxb-revoked' } })).rejects.toMatchObject({
      code: 'slack_unauthorized',
    });
  });
});

describe('Slack, Socket Mode (SLACK_APP_TOKEN set)', () => {
  it('opens a connection with the app token and answers a slash command envelope over it', async () => {
    const h = await startHarness({ socketMode: true });
    try {
      const open = await h.slack.waitForCall('apps.connections.open');
      expect(open.token).toBe(SECRETS.slackAppToken);
      await h.slack.waitForSocket();
      const ack = await h.slack.sendSocketEnvelope(
        'slash_commands',
        h.slack.slashCommandPayload({ text: 'help', userId: 'U0ALICE', channelId: 'C0WEB' }),
      );
      expect(JSON.stringify(ack.payload)).toContain('/deploy');
      // The HTTP server still serves everything else.
      const health = await fetch(`${h.url}/healthz`);
      expect(health.status).toBe(200);
      const slackEvents = await fetch(`${h.url}/slack/events`, { method: 'POST' });
      expect(slackEvents.status).toBe(404);
    } finally {
      await h.stop();
    }
  });
});

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import { ErrorCode, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackStandIn, startSlackStandIn } from '../../src/stand-ins/slack-stand-in.js';

const BOT_TOKEN = 'xoxb-test-token';
const SIGNING_SECRET = 'stand-in-signing-secret';
// Without this WebClient retries failed requests for about 30 minutes.
const NO_RETRIES = { retries: 0 };

let slack: SlackStandIn;
let client: WebClient;

beforeEach(async () => {
  slack = await startSlackStandIn();
  client = new WebClient(BOT_TOKEN, {
    slackApiUrl: slack.apiUrl,
    retryConfig: NO_RETRIES,
    logLevel: LogLevel.ERROR,
  });
});

afterEach(async () => {
  await slack.close();
});

describe('Web API', () => {
  it('answers auth.test for the bot token and rejects others', async () => {
    const auth = await client.auth.test();
    expect(auth).toMatchObject({
      ok: true,
      team_id: 'T0TEAM',
      user_id: 'UDEPLOYBOT',
      bot_id: expect.any(String),
    });
    expect(auth.response_metadata?.scopes).toContain('chat:write');

    const stranger = new WebClient('xoxb-someone-else', {
      slackApiUrl: slack.apiUrl,
      retryConfig: NO_RETRIES,
    });
    await expect(stranger.auth.test()).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { error: 'invalid_auth' },
    });
    await expect(client.apiCall('deploys.launch')).rejects.toMatchObject({
      data: { error: 'unknown_method' },
    });
    expect(slack.calls.map((c) => [c.method, c.token])).toEqual([
      ['auth.test', BOT_TOKEN],
      ['auth.test', 'xoxb-someone-else'],
      ['deploys.launch', BOT_TOKEN],
    ]);
  });

  it('names the bot token’s scopes, and tells private channels and membership as Slack does', async () => {
    await slack.close();
    slack = await startSlackStandIn({
      channels: ['C0PUBLIC', 'C0OUTSIDE', 'G0SECRET', 'G0HIDDEN'],
      privateChannels: ['G0SECRET', 'G0HIDDEN'],
      notMemberOf: ['C0OUTSIDE', 'G0HIDDEN'],
      scopes: ['chat:write', 'commands'],
    });
    client = new WebClient(BOT_TOKEN, {
      slackApiUrl: slack.apiUrl,
      retryConfig: NO_RETRIES,
      logLevel: LogLevel.ERROR,
    });
    expect((await client.auth.test()).response_metadata?.scopes).toEqual(['chat:write', 'commands']);
    const info = async (channel: string) => (await client.conversations.info({ channel })).channel;
    expect(await info('C0PUBLIC')).toMatchObject({ is_private: false, is_member: true });
    expect(await info('C0OUTSIDE')).toMatchObject({ is_private: false, is_member: false });
    expect(await info('G0SECRET')).toMatchObject({ is_private: true, is_member: true });
    await expect(info('G0HIDDEN')).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
  });

  it('posts, updates and threads messages with decoded blocks', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*web* → production' } }];
    const first = await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'Deploying web', blocks });
    const second = await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'Deploying api' });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(first.message).toMatchObject({ text: 'Deploying web', user: 'UDEPLOYBOT', blocks });
    expect(slack.calls[0]?.args).toMatchObject({ channel: 'C0DEPLOYS', blocks });

    await client.chat.update({ channel: 'C0DEPLOYS', ts: first.ts!, text: 'Deployed web' });
    await client.chat.postMessage({ channel: 'C0DEPLOYS', thread_ts: first.ts!, text: 'step 1 done' });
    await client.chat.postMessage({ channel: 'C0DEPLOYS', thread_ts: first.ts!, text: 'step 2 done' });

    const [web] = slack.messagesIn('C0DEPLOYS');
    expect(web).toMatchObject({
      text: 'Deployed web',
      blocks,
      edits: 1,
      history: [{ text: 'Deploying web' }],
    });
    expect(slack.messagesIn('C0DEPLOYS')).toHaveLength(2);
    expect(slack.threadOf('C0DEPLOYS', first.ts!).map((m) => m.text)).toEqual(['step 1 done', 'step 2 done']);
    const permalink = await client.chat.getPermalink({ channel: 'C0DEPLOYS', message_ts: first.ts! });
    expect(permalink.permalink).toContain(`/archives/C0DEPLOYS/p${first.ts!.replace('.', '')}`);
  });

  it('reports the errors Slack reports', async () => {
    const humanMessage = slack.seedMessage({ channel: 'C0WEB', text: 'ship it', user: 'U0ALICE' });
    const cases: Array<[Promise<unknown>, string]> = [
      [client.chat.postMessage({ channel: 'C0NOPE', text: 'x' }), 'channel_not_found'],
      [client.chat.postMessage({ channel: 'C0WEB', text: 'x'.repeat(40_001) }), 'msg_too_long'],
      [client.chat.update({ channel: 'C0WEB', ts: '1.000001', text: 'x' }), 'message_not_found'],
      [client.chat.update({ channel: 'C0WEB', ts: humanMessage.ts, text: 'x' }), 'cant_update_message'],
      [client.users.info({ user: 'U0NOBODY' }), 'user_not_found'],
      [client.usergroups.users.list({ usergroup: 'S0NONE' }), 'no_such_subteam'],
      [client.apps.connections.open({}), 'not_allowed_token_type'],
    ];
    for (const [call, error] of cases)
      await expect(call).rejects.toMatchObject({ data: { ok: false, error } });
  });

  it('serves users, user groups, channels and ephemerals', async () => {
    slack.setUserGroup('S0ONCALL', ['U0ALICE', 'U0BOB']);
    expect((await client.users.info({ user: 'U0BOB' })).user).toMatchObject({
      id: 'U0BOB',
      name: 'bob',
      real_name: 'Bob Example',
      profile: { display_name: 'bob' },
    });
    expect((await client.usergroups.users.list({ usergroup: 'S0ONCALL' })).users).toEqual([
      'U0ALICE',
      'U0BOB',
    ]);
    expect((await client.conversations.info({ channel: 'C0API' })).channel).toMatchObject({
      id: 'C0API',
      name: 'api',
    });
    await client.chat.postEphemeral({ channel: 'C0API', user: 'U0ALICE', text: 'only you' });
    expect(slack.ephemerals).toMatchObject([{ channel: 'C0API', user: 'U0ALICE', text: 'only you' }]);
  });

  it('rate limits with 429 + Retry-After, which WebClient waits out and retries', async () => {
    const patient = new WebClient(BOT_TOKEN, {
      slackApiUrl: slack.apiUrl,
      // minTimeout 0: p-retry's own backoff would otherwise add ≥1 s on top of Retry-After.
      retryConfig: { retries: 3, minTimeout: 0 },
      logLevel: LogLevel.ERROR,
    });
    slack.rateLimit('chat.postMessage', { times: 2, retryAfterSeconds: 1 });
    const started = Date.now();
    const result = await patient.chat.postMessage({ channel: 'C0DEPLOYS', text: 'after the storm' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(result.ok).toBe(true);
    expect(slack.calls.map((c) => [c.status, c.response.error ?? 'ok'])).toEqual([
      [429, 'ratelimited'],
      [429, 'ratelimited'],
      [200, 'ok'],
    ]);
    expect(slack.messagesIn('C0DEPLOYS')).toHaveLength(1);
  });

  it('with rejectRateLimitedCalls WebClient fails at once; with retries: 0 it waits, then fails', async () => {
    const impatient = new WebClient(BOT_TOKEN, {
      slackApiUrl: slack.apiUrl,
      rejectRateLimitedCalls: true,
      logLevel: LogLevel.ERROR,
    });
    slack.rateLimit('chat.postMessage', { times: 2, retryAfterSeconds: 1 });
    await expect(impatient.chat.postMessage({ channel: 'C0WEB', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 1,
    });
    const started = Date.now();
    await expect(client.chat.postMessage({ channel: 'C0WEB', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.RequestError,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('fails the next calls of a method as asked', async () => {
    slack.failNext('chat.postMessage', 'not_in_channel', 2);
    for (let i = 0; i < 2; i += 1) {
      await expect(client.chat.postMessage({ channel: 'C0WEB', text: 'x' })).rejects.toMatchObject({
        data: { error: 'not_in_channel' },
      });
    }
    await expect(client.chat.postMessage({ channel: 'C0WEB', text: 'x' })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('answers no sooner than latencyMs', async () => {
    const slow = await startSlackStandIn({ latencyMs: 100 });
    try {
      const slowClient = new WebClient(BOT_TOKEN, { slackApiUrl: slow.apiUrl, retryConfig: NO_RETRIES });
      const started = Date.now();
      const answer = slowClient.chat.postMessage({ channel: 'C0WEB', text: 'slow' });
      await slow.waitForCall('chat.postMessage');
      await expect(answer).resolves.toMatchObject({ ok: true });
      expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    } finally {
      await slow.close();
    }
  });

  it('waitForCall resolves on past or future calls and rejects, listing calls seen, on timeout', async () => {
    await client.auth.test();
    await expect(slack.waitForCall('auth.test')).resolves.toMatchObject({ method: 'auth.test' });
    const later = slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0API');
    await client.chat.postMessage({ channel: 'C0API', text: 'hello' });
    await expect(later).resolves.toMatchObject({ response: { ok: true } });

    const started = Date.now();
    await expect(
      slack.waitForCall('chat.update', undefined, { timeoutMs: 200, description: 'the status update' }),
    ).rejects.toThrow(
      /Timed out after 200ms waiting for the status update\. Seen 2:[\s\S]*chat\.postMessage/,
    );
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('Bolt in Socket Mode', () => {
  let app: App | undefined;

  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  it('connects with the app token and acks a slash command envelope', async () => {
    app = new App({
      token: BOT_TOKEN,
      appToken: slack.appToken,
      socketMode: true,
      // App hands clientOptions to the SocketModeClient too, so apps.connections.open hits the stand-in.
      clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: NO_RETRIES },
      logLevel: LogLevel.ERROR,
    });
    app.command('/deploy', async ({ ack, command, client: boltClient }) => {
      await ack({ text: `Queued ${command.text}` });
      await boltClient.chat.postMessage({ channel: command.channel_id, text: `Deploying ${command.text}` });
    });
    app.event('app_mention', async ({ event, say }) => {
      await say({ text: 'on it', thread_ts: event.ts });
    });
    await app.start();
    expect(slack.socketConnections).toBe(1);
    expect((await slack.waitForCall('apps.connections.open')).token).toBe(slack.appToken);

    const ack = await slack.sendSocketEnvelope('slash_commands', slack.slashCommandPayload({ text: 'web' }));
    expect(ack.payload).toEqual({ text: 'Queued web' });
    const posted = await slack.waitForCall('chat.postMessage');
    expect(posted.args).toMatchObject({ channel: 'C0DEPLOYS', text: 'Deploying web' });

    await slack.sendSocketEnvelope('events_api', { type: 'app_mention', text: '<@UDEPLOYBOT> status' });
    const [mention] = slack.messagesIn('C0DEPLOYS').filter((m) => m.user === 'U0ALICE');
    const reply = await slack.waitFor(() => slack.threadOf('C0DEPLOYS', mention!.ts)[0]);
    expect(reply.text).toBe('on it');
  });
});

describe('Bolt over HTTP (ExpressReceiver)', () => {
  let app: App;
  let receiver: ExpressReceiver;
  let eventsUrl: string;
  let seenDeliveries: Array<{ eventId: string; retryNum: number | undefined }>;

  beforeEach(async () => {
    seenDeliveries = [];
    receiver = new ExpressReceiver({ signingSecret: SIGNING_SECRET, logLevel: LogLevel.ERROR });
    app = new App({
      token: BOT_TOKEN,
      receiver,
      clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: NO_RETRIES },
      logLevel: LogLevel.ERROR,
    });
    app.command('/deploy', async ({ ack, command, respond }) => {
      await ack();
      await respond({
        response_type: 'ephemeral',
        text: `Deploying ${command.text} for ${command.user_name}`,
      });
    });
    app.event('app_mention', async ({ event, say, context, body }) => {
      seenDeliveries.push({ eventId: body.event_id, retryNum: context.retryNum });
      await say({ text: 'on it', thread_ts: event.ts });
    });
    app.action('approve', async ({ ack, respond }) => {
      await ack();
      await respond({ text: 'approved', replace_original: true });
    });
    const server = (await receiver.start(0)) as Server;
    eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterEach(async () => {
    await receiver.stop();
  });

  it('signs slash commands the way Bolt verifies them', async () => {
    const result = await slack.sendSlashCommand(eventsUrl, SIGNING_SECRET, { text: 'api production' });
    expect(result.status).toBe(200);
    expect(result.elapsedMs).toBeLessThan(3_000);
    const response = await slack.waitForResponse();
    expect(response.url.startsWith(`${slack.baseUrl}/response/`)).toBe(true);
    expect(response.body).toEqual({ response_type: 'ephemeral', text: 'Deploying api production for alice' });
  });

  it('is rejected by Bolt when the signature is wrong or stale', async () => {
    const forged = await slack.sendSlashCommand(eventsUrl, 'wrong-secret', { text: 'web' });
    const tampered = await slack.sendSlashCommand(
      eventsUrl,
      SIGNING_SECRET,
      { text: 'web' },
      { signature: 'v0=00' },
    );
    const stale = await slack.sendSlashCommand(
      eventsUrl,
      SIGNING_SECRET,
      { text: 'web' },
      { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 },
    );
    expect([forged.status, tampered.status, stale.status]).toEqual([401, 401, 401]);
    expect(slack.responses).toHaveLength(0);
  });

  it('delivers signed events and interactions', async () => {
    const event = await slack.sendEvent(eventsUrl, SIGNING_SECRET, {
      type: 'app_mention',
      text: '<@UDEPLOYBOT> hi',
    });
    expect(event.status).toBe(200);
    const [mention] = slack.messagesIn('C0DEPLOYS');
    const reply = await slack.waitFor(() => slack.threadOf('C0DEPLOYS', mention!.ts)[0], {
      description: 'reply',
    });
    expect(reply).toMatchObject({ text: 'on it', user: 'UDEPLOYBOT' });
    const eventId = seenDeliveries[0]!.eventId;
    const redelivery = await slack.sendEvent(
      eventsUrl,
      SIGNING_SECRET,
      { type: 'app_mention', text: '<@UDEPLOYBOT> hi', ts: mention!.ts },
      { eventId, retryNum: 1 },
    );
    expect(redelivery.status).toBe(200);
    await slack.waitFor(() => seenDeliveries.length === 2);
    expect(seenDeliveries).toEqual([
      { eventId, retryNum: undefined },
      { eventId, retryNum: 1 },
    ]);

    const interaction = await slack.sendInteraction(eventsUrl, SIGNING_SECRET, {
      actions: [
        { action_id: 'approve', block_id: 'b1', type: 'button', value: 'web', action_ts: '1700000000.1' },
      ],
      container: { type: 'message', message_ts: mention!.ts, channel_id: 'C0DEPLOYS' },
      channel: { id: 'C0DEPLOYS', name: 'deploys' },
    });
    expect(interaction.status).toBe(200);
    expect((await slack.waitForResponse()).body).toEqual({ text: 'approved', replace_original: true });
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDeploymentStatusPayload, deriveSha } from '../../src/stand-ins/github-payloads.js';
import { type Harness, startHarness } from '../support/harness.js';

describe('every deployment_status is announced', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
    h.github.addRepository('octo-org/web');
    h.github.addRepository('octo-org/other');
    h.github.setRef('octo-org/web', 'main', deriveSha('web-main'));
    h.github.setRef('octo-org/other', 'main', deriveSha('other-main'));
  });
  afterEach(async () => {
    await h.stop();
  });

  const topLevel = (channel: string) => h.slack.messagesIn(channel);
  const settle = async () => {
    await h.github.flushWebhooks();
    await h.app.idle();
  };

  it('posts one message for a deployment another tool created, updates it in place and threads each status', async () => {
    const deployment = h.github.createDeploymentDirectly('octo-org/web', {
      ref: 'main',
      environment: 'production',
      creator: 'hubot',
    });
    h.github.createStatusDirectly(deployment.id, {
      state: 'pending',
      log_url: 'https://ci.example.com/log/1',
    });
    const posted = await h.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0WEB');
    expect(String(posted.args.text)).toContain('octo-org/web');
    expect(String(posted.args.text)).toContain('production');
    expect(String(posted.args.text)).toContain('pending');
    await settle();

    h.github.createStatusDirectly(deployment.id, {
      state: 'success',
      log_url: 'https://ci.example.com/log/1',
      environment_url: 'https://www.example.com',
    });
    const updated = await h.slack.waitForCall('chat.update');
    expect(updated.args).toMatchObject({ channel: 'C0WEB', ts: posted.response.ts });
    await settle();

    const messages = topLevel('C0WEB');
    expect(messages).toHaveLength(1);
    const message = messages[0]!;
    expect(message.text).toContain('success');
    expect(message.text).toContain('hubot');
    const blocks = JSON.stringify(message.blocks);
    expect(blocks).toContain(deriveSha('web-main').slice(0, 7));
    expect(blocks).toContain('https://ci.example.com/log/1|Log');
    expect(blocks).toContain('https://www.example.com');
    expect(blocks).toContain('took');
    const thread = h.slack.threadOf('C0WEB', message.ts);
    expect(thread.map((m) => m.text)).toEqual([expect.stringContaining('success')]);
  });

  it.each([
    ['notify.channel', { notify: { adapter: 'slack', channel: 'C0API' } }, 'C0API'],
    ["hubot-deploy's notify.room", { notify: { adapter: 'slack', room: 'C0API' } }, 'C0API'],
    ['no notify: the repository channel', {}, 'C0WEB'],
  ])('announces in the channel of %s', async (_name, payload, channel) => {
    // deploybot's own deployment: another creator's payload names only channels deploybot.yml names.
    const deployment = h.github.createDeploymentDirectly('octo-org/web', {
      ref: 'main',
      environment: 'staging',
      payload,
      creator: 'deploybot[bot]',
    });
    h.github.createStatusDirectly(deployment.id, { state: 'queued' });
    await h.slack.waitForCall('chat.postMessage', (c) => c.args.channel === channel);
  });

  it.each([
    ['a channel that does not exist', { notify: { adapter: 'slack', channel: 'C0GONE' } }],
    ['a hubot room name', { notify: { adapter: 'slack', room: '#ops' } }],
  ])('falls back to the repository channel when the payload names %s', async (_name, payload) => {
    const deployment = h.github.createDeploymentDirectly('octo-org/web', {
      ref: 'main',
      environment: 'staging',
      payload,
    });
    h.github.createStatusDirectly(deployment.id, { state: 'pending' });
    await settle();
    h.github.createStatusDirectly(deployment.id, { state: 'success' });
    await settle();
    const [message] = topLevel('C0WEB');
    expect(message?.text).toContain('success');
    expect(h.slack.calls.filter((c) => c.method === 'chat.update').map((c) => c.args.channel)).toEqual([
      'C0WEB',
    ]);
  });

  it('takes up again a delivery that failed for good when GitHub redelivers it', async () => {
    h.slack.failNext('chat.postMessage', 'invalid_blocks');
    const payload = buildDeploymentStatusPayload({
      repo: 'octo-org/web',
      deployment: { id: 555, ref: 'main', environment: 'staging', creator: 'octocat' },
      status: { id: 556, state: 'success' },
    });
    const first = await h.sendWebhook('deployment_status', payload);
    await settle();
    expect(topLevel('C0WEB')).toHaveLength(0);
    const again = await h.sendWebhook('deployment_status', payload, { deliveryId: first.deliveryId });
    expect(JSON.parse(again.body)).toEqual({ status: 'accepted' });
    await settle();
    expect(topLevel('C0WEB')).toHaveLength(1);
  });

  it('announces a repository missing from deploybot.yml in the default channel', async () => {
    const deployment = h.github.createDeploymentDirectly('octo-org/other', {
      ref: 'main',
      environment: 'qa',
    });
    h.github.createStatusDirectly(deployment.id, { state: 'in_progress' });
    const posted = await h.slack.waitForCall('chat.postMessage');
    expect(posted.args.channel).toBe('C0DEPLOYS');
    expect(String(posted.args.text)).toContain('in_progress');
  });

  it('announces a redelivered status once', async () => {
    const payload = buildDeploymentStatusPayload({
      repo: 'octo-org/web',
      deployment: { id: 777, ref: 'main', environment: 'staging', creator: 'octocat' },
      status: { id: 9001, state: 'success' },
    });
    const first = await h.sendWebhook('deployment_status', payload);
    await settle();
    const callsAfterFirst = h.slack.calls.length;
    const again = await h.sendWebhook('deployment_status', payload, { deliveryId: first.deliveryId });
    expect(again.status).toBe(200);
    // The same status under a new delivery id (a tool that re-sends) is not announced twice either.
    await h.sendWebhook('deployment_status', payload);
    await settle();
    expect(h.slack.calls.length).toBe(callsAfterFirst);
    expect(topLevel('C0WEB')).toHaveLength(1);
  });

  it('never moves a message back to an older state when statuses arrive out of order', async () => {
    const deployment = { id: 888, ref: 'main', environment: 'staging', creator: 'octocat' };
    const status = (id: number, state: 'pending' | 'success') =>
      buildDeploymentStatusPayload({ repo: 'octo-org/web', deployment, status: { id, state } });
    await h.sendWebhook('deployment_status', status(2, 'success'));
    await settle();
    await h.sendWebhook('deployment_status', status(1, 'pending'));
    await settle();
    const [message] = topLevel('C0WEB');
    expect(message?.text).toContain('success');
    expect(message?.edits).toBe(0);
    expect(h.slack.threadOf('C0WEB', message!.ts).map((m) => m.text)).toEqual([
      expect.stringContaining('pending'),
    ]);
  });

  it('waits out a Slack 429 storm: every announcement arrives and ends in the right state', async () => {
    h.slack.rateLimit('chat.postMessage', { times: 4, retryAfterSeconds: 1 });
    h.slack.rateLimit('chat.update', { times: 3, retryAfterSeconds: 1 });
    const ids = [];
    for (let i = 0; i < 3; i++) {
      const d = h.github.createDeploymentDirectly('octo-org/web', { ref: 'main', environment: `env${i}` });
      ids.push(d.id);
      h.github.createStatusDirectly(d.id, { state: 'pending' });
      h.github.createStatusDirectly(d.id, { state: 'in_progress' });
      h.github.createStatusDirectly(d.id, { state: i === 1 ? 'failure' : 'success' });
    }
    await h.slack.waitFor(() => (topLevel('C0WEB').length === 3 ? true : undefined), { timeoutMs: 20_000 });
    await settle();
    expect(h.slack.calls.filter((c) => c.status === 429).length).toBe(7);
    const byEnvironment = new Map(topLevel('C0WEB').map((m) => [/to (env\d)/.exec(m.text)?.[1], m]));
    expect(byEnvironment.get('env0')?.text).toContain('success');
    expect(byEnvironment.get('env1')?.text).toContain('failure');
    expect(byEnvironment.get('env2')?.text).toContain('success');
    for (const message of byEnvironment.values()) {
      expect(h.slack.threadOf('C0WEB', message.ts)).toHaveLength(2);
    }
  }, 30_000);

  it('starts a new message when the old one was deleted', async () => {
    const deployment = h.github.createDeploymentDirectly('octo-org/web', {
      ref: 'main',
      environment: 'staging',
    });
    h.github.createStatusDirectly(deployment.id, { state: 'pending' });
    await h.slack.waitForCall('chat.postMessage');
    await settle();
    h.slack.failNext('chat.update', 'message_not_found');
    h.github.createStatusDirectly(deployment.id, { state: 'success' });
    await h.slack.waitForCall(
      'chat.postMessage',
      (c) => String(c.args.text).includes('success') && !c.args.thread_ts,
    );
  });
});

describe('a stored delivery survives a restart', () => {
  it('is handled by the next start when the first process could not finish it', async () => {
    // The retry is due a second after the failure, kept in the store: whoever runs then takes it.
    const first = await startHarness({ timings: { webhookRetryDelayMs: () => 1_000 } });
    const { github, slack, dataDir } = first;
    github.addRepository('octo-org/web');
    github.setRef('octo-org/web', 'main', deriveSha('web-main'));
    slack.failNext('chat.postMessage', 'internal_error', 1);
    const payload = buildDeploymentStatusPayload({
      repo: 'octo-org/web',
      deployment: { id: 4242, ref: 'main', environment: 'staging', creator: 'octocat' },
      status: { id: 4243, state: 'success' },
    });
    const answer = await first.sendWebhook('deployment_status', payload);
    expect(answer.status).toBe(200);
    await slack.waitForCall('chat.postMessage');
    // Stopping while the delivery waits for its retry leaves it stored, pending.
    await first.app.stop();
    expect(slack.messagesIn('C0WEB')).toHaveLength(0);

    const second = await startHarness({ github, slack, dataDir });
    try {
      const posted = await slack.waitForCall('chat.postMessage', (c) => c.response.ok === true);
      expect(String(posted.args.text)).toContain('success');
      expect(slack.messagesIn('C0WEB')).toHaveLength(1);
    } finally {
      await second.stop();
      await github.close();
      await slack.close();
      await first.stop().catch(() => undefined);
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deriveSha } from '../../src/stand-ins/github-payloads.js';
import { CHAT_CONFIG } from '../support/chat.js';
import { type Harness, startHarness } from '../support/harness.js';

const isCreate = (r: { method: string; path: string }) =>
  r.method === 'POST' && r.path === '/repos/octo-org/web/deployments';

describe('a deploy asked by a mention in a thread', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness({ config: CHAT_CONFIG });
    h.github.addRepository('octo-org/web', { defaultBranch: 'main' });
    h.github.setRef('octo-org/web', 'main', deriveSha('web-main'));
  });
  afterEach(async () => {
    expect(h.github.schemaErrors).toEqual([]);
    await h.stop();
  });

  it('is announced in that thread, kept current there, with its statuses as further replies', async () => {
    const thread = h.slack.seedMessage({
      channel: 'C0WEB',
      text: 'shall we ship the fix?',
      user: 'U0ALICE',
    }).ts;
    const response = await h.slack.sendEvent(`${h.url}/slack/events`, 'slack-signing-secret-9c1e', {
      type: 'app_mention',
      user: 'U0BOB',
      channel: 'C0WEB',
      text: '<@UDEPLOYBOT> deploy web to stg',
      thread_ts: thread,
    });
    expect(response.status).toBe(200);
    const created = await h.github.waitForRequest(isCreate);
    expect(created.body).toMatchObject({ payload: { notify: { channel: 'C0WEB', thread_ts: thread } } });

    const [deployment] = h.github.deployments('octo-org/web');
    h.github.createStatusDirectly(deployment!.id, { state: 'pending' });
    const announced = await h.slack.waitForCall(
      'chat.postMessage',
      (c) => typeof c.args.text === 'string' && c.args.text.includes('to staging by bob: pending'),
    );
    expect(announced.args.thread_ts).toBe(thread);
    const announcementTs = (announced.response as unknown as { ts: string }).ts;

    h.github.createStatusDirectly(deployment!.id, { state: 'success' });
    const updated = await h.slack.waitForCall('chat.update', (c) => c.args.ts === announcementTs);
    expect(updated.args.channel).toBe('C0WEB');
    const line = await h.slack.waitForCall(
      'chat.postMessage',
      (c) => typeof c.args.text === 'string' && c.args.text.endsWith('to staging: success'),
    );
    expect(line.args).toMatchObject({ channel: 'C0WEB', thread_ts: thread });
    await h.app.idle();

    // Nothing at any channel's top level but what deploybot answered the mention with.
    const topLevel = h.slack.calls.filter(
      (c) => c.method === 'chat.postMessage' && c.args.thread_ts === undefined,
    );
    expect(topLevel).toEqual([]);
  });

  it('leaves a deploy asked by a mention at the top level announced at the top level', async () => {
    const mention = h.slack.seedMessage({
      channel: 'C0WEB',
      text: '<@UDEPLOYBOT> deploy web to stg',
      user: 'U0BOB',
    });
    const response = await h.slack.sendEvent(`${h.url}/slack/events`, 'slack-signing-secret-9c1e', {
      type: 'app_mention',
      user: 'U0BOB',
      channel: 'C0WEB',
      text: '<@UDEPLOYBOT> deploy web to stg',
      ts: mention.ts,
    });
    expect(response.status).toBe(200);
    const created = await h.github.waitForRequest(isCreate);
    expect(created.body).toMatchObject({ payload: { notify: { channel: 'C0WEB' } } });
    expect(
      (created.body as { payload: { notify: Record<string, unknown> } }).payload.notify,
    ).not.toHaveProperty('thread_ts');
    const [deployment] = h.github.deployments('octo-org/web');
    h.github.createStatusDirectly(deployment!.id, { state: 'pending' });
    const announced = await h.slack.waitForCall(
      'chat.postMessage',
      (c) => typeof c.args.text === 'string' && c.args.text.includes('to staging by bob: pending'),
    );
    expect(announced.args.thread_ts).toBeUndefined();
  });
});

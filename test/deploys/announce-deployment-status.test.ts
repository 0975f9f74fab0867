import { describe, expect, it } from 'vitest';
import type { DeploymentFacts, StatusFacts } from '../../src/core/announcement.js';
import type { DeploymentState } from '../../src/core/deployment-state.js';
import { DeploybotError } from '../../src/core/errors.js';
import type { ChatPort } from '../../src/core/ports/chat.js';
import {
  type AnnounceDeploymentStatusInput,
  createAnnounceDeploymentStatus,
} from '../../src/deploys/announce-deployment-status.js';
import type { AnnouncedStatus } from '../../src/deploys/watch-stuck-deployments.js';
import { createManualScheduler } from '../support/manual-scheduler.js';
import { createMemoryChat } from '../support/memory/memory-chat.js';
import { createMemoryIdentity } from '../support/memory/memory-identity.js';
import { createMemoryLog } from '../support/memory/memory-log.js';
import { createMemoryStore } from '../support/memory/memory-store.js';
import { MERGE_CONFIG, WEB_URL } from '../support/merge-deploy-rig.js';

const START = Date.parse('2024-05-01T10:00:00Z');

const deployment = (more: Partial<DeploymentFacts> = {}): DeploymentFacts => ({
  id: 7,
  repository: 'octo-org/web',
  repositoryUrl: WEB_URL,
  ref: 'main',
  sha: 'c'.repeat(40),
  environment: 'staging',
  task: 'deploy',
  deployer: 'hubot',
  createdAt: new Date(START).toISOString(),
  ...more,
});

const status = (id: number, state: DeploymentState, more: Partial<StatusFacts> = {}): StatusFacts => ({
  id,
  state,
  createdAt: new Date(START + id * 1_000).toISOString(),
  ...more,
});

function createRig(wrapChat: (chat: ChatPort) => ChatPort = (chat) => chat) {
  const chat = createMemoryChat();
  const store = createMemoryStore();
  const log = createMemoryLog();
  const seen: AnnouncedStatus[] = [];
  const announce = createAnnounceDeploymentStatus({
    config: MERGE_CONFIG,
    chat: wrapChat(chat),
    store,
    clock: createManualScheduler(START),
    onAnnounced: (s) => seen.push(s),
    identity: createMemoryIdentity('deploybot[bot]'),
  });
  // deploybot's own unless a test says who created it.
  const send = (s: StatusFacts, more: Partial<AnnounceDeploymentStatusInput> = {}) =>
    announce({
      deployment: deployment(),
      status: s,
      notifyChannel: undefined,
      creator: 'deploybot[bot]',
      log,
      ...more,
    });
  const threadTexts = (channel: string, ts: string) => chat.thread(channel, ts).map((m) => m.content.text);
  return { chat, store, log, send, threadTexts, seen };
}

describe('announceDeploymentStatus', () => {
  it("announces in the payload's thread: the message a reply there, kept in place, its statuses further replies", async () => {
    const { chat, send, threadTexts } = createRig();
    const inThread = { notifyChannel: 'C0ASKED', notifyThreadTs: '1700000000.000100' };
    await send(status(1, 'pending'), inThread);
    await send(status(2, 'in_progress'), inThread);
    await send(status(3, 'success'), inThread);
    expect(chat.inChannel('C0ASKED')).toEqual([]);
    expect(chat.inChannel('C0WEB')).toEqual([]);
    const [message, ...lines] = chat.thread('C0ASKED', '1700000000.000100');
    expect(message?.content.text).toContain(': success');
    expect(message?.history.map((c) => c.text)).toEqual([
      expect.stringContaining(': pending'),
      expect.stringContaining(': in_progress'),
    ]);
    expect(lines.map((m) => m.content.text)).toEqual([
      'octo-org/web to staging: in_progress',
      'octo-org/web to staging: success',
    ]);
    expect(threadTexts('C0ASKED', message!.ts)).toEqual([]);
  });

  it('tells the watchdog of each status, with the thread its lines go to and who asked', async () => {
    const { chat, send, seen } = createRig();
    await send(status(1, 'pending'), { notifyUser: 'U0ALICE' });
    await send(status(2, 'in_progress'), { notifyChannel: 'C0WEB', notifyThreadTs: '1700000000.000100' });
    const [message] = chat.inChannel('C0WEB');
    expect(seen.map((s) => [s.status.state, s.channel, s.threadTs, s.notifyUser])).toEqual([
      ['pending', 'C0WEB', message?.ts, 'U0ALICE'],
      ['in_progress', 'C0WEB', '1700000000.000100', undefined],
    ]);
  });

  it("falls back to the repository channel's top level when the thread's channel refuses", async () => {
    const { chat, send } = createRig();
    chat.refuseChannel('C0GONE', 'slack_channel_not_found');
    await send(status(1, 'pending'), { notifyChannel: 'C0GONE', notifyThreadTs: '1700000000.000100' });
    expect(chat.inChannel('C0WEB')).toHaveLength(1);
  });

  it('posts one message per deployment, updates it in place and threads each later status', async () => {
    const { chat, store, send, threadTexts } = createRig();
    await send(status(1, 'pending', { logUrl: 'https://ci.example.com/log/1' }));
    await send(status(2, 'success', { environmentUrl: 'https://www.example.com' }));
    const [message, ...others] = chat.inChannel('C0WEB');
    expect(others).toEqual([]);
    expect(message?.content.text).toContain('by hubot: success after');
    expect(message?.history.map((c) => c.text)).toEqual([expect.stringContaining(': pending')]);
    expect(JSON.stringify(message?.content.blocks)).toContain('https://www.example.com');
    expect(threadTexts('C0WEB', message!.ts)).toEqual(['octo-org/web to staging: success']);
    expect(await store.getAnnouncement(7)).toMatchObject({ channel: 'C0WEB', ts: message?.ts, statusId: 2 });
  });

  it('finds the message and status line a try that died after posting them left, and posts neither again', async () => {
    // Each post reaches Slack, then the try dies before recording it (the answer is lost).
    let lose = true;
    const { chat, store, send, threadTexts } = createRig((inner) => ({
      ...inner,
      postMessage: async (channel, content, options) => {
        const posted = await inner.postMessage(channel, content, options);
        if (lose) throw new DeploybotError('slack_unavailable', 'connection reset', { retryable: true });
        return posted;
      },
    }));
    await expect(send(status(1, 'pending'))).rejects.toThrow('connection reset');
    lose = false;
    await send(status(1, 'pending'));
    lose = true;
    await expect(send(status(2, 'success'))).rejects.toThrow('connection reset');
    lose = false;
    await send(status(2, 'success'));
    const [message, ...others] = chat.inChannel('C0WEB');
    expect(others).toEqual([]);
    expect(await store.getAnnouncement(7)).toMatchObject({ ts: message?.ts, statusId: 2 });
    expect(threadTexts('C0WEB', message!.ts)).toEqual(['octo-org/web to staging: success']);
  });

  it('remembers the newest status of each deployment, with the log of the last status that had one', async () => {
    const { store, send } = createRig();
    await send(status(1, 'pending', { logUrl: 'https://ci.example.com/log/1' }));
    await send(status(3, 'success', { environmentUrl: 'https://www.example.com' }));
    await send(status(2, 'in_progress'));
    expect((await store.getKnownStatuses([7])).get(7)).toMatchObject({
      statusId: 3,
      state: 'success',
      logUrl: 'https://ci.example.com/log/1',
      environmentUrl: 'https://www.example.com',
    });
  });

  it('never moves the message back to an older state; the older status still gets its thread line', async () => {
    const { chat, send, threadTexts } = createRig();
    await send(status(2, 'success'));
    await send(status(1, 'pending'));
    const [message] = chat.inChannel('C0WEB');
    expect(message?.content.text).toContain(': success');
    expect(message?.history).toEqual([]);
    expect(threadTexts('C0WEB', message!.ts)).toEqual(['octo-org/web to staging: pending']);
  });

  it('announces a status it has seen once', async () => {
    const { chat, send } = createRig();
    await send(status(1, 'pending'));
    await send(status(2, 'success'));
    await send(status(2, 'success'));
    await send(status(1, 'pending'));
    expect(chat.messages).toHaveLength(2);
  });

  it('announces one deployment status at a time, so two never race for its message', async () => {
    const { chat, send, threadTexts } = createRig();
    await Promise.all([
      send(status(1, 'queued')),
      send(status(2, 'in_progress')),
      send(status(3, 'success')),
    ]);
    const [message, ...others] = chat.inChannel('C0WEB');
    expect(others).toEqual([]);
    expect(message?.content.text).toContain(': success');
    expect(threadTexts('C0WEB', message!.ts)).toEqual([
      'octo-org/web to staging: in_progress',
      'octo-org/web to staging: success',
    ]);
  });

  it('starts a new message when the old one was deleted', async () => {
    const { chat, store, send } = createRig();
    await send(status(1, 'pending'));
    chat.messages.splice(0, chat.messages.length);
    await send(status(2, 'success'));
    const [message, ...others] = chat.inChannel('C0WEB');
    expect(others).toEqual([]);
    expect(message?.content.text).toContain(': success');
    expect(chat.thread('C0WEB', message!.ts)).toHaveLength(1);
    expect((await store.getAnnouncement(7))?.statusId).toBe(2);
  });

  it('keeps updating the message that replaced a deleted one', async () => {
    const { chat, send } = createRig();
    await send(status(1, 'pending'));
    chat.messages.splice(0, chat.messages.length);
    await send(status(2, 'in_progress'));
    await send(status(3, 'success'));
    const [message, ...others] = chat.inChannel('C0WEB');
    expect(others).toEqual([]);
    expect(message?.content.text).toContain(': success');
    expect(message?.history).toHaveLength(1);
  });

  it.each([
    ['the channel the payload asked for', 'C0API', 'C0API'],
    ['the repository channel without one', undefined, 'C0WEB'],
  ])('announces in %s', async (_name, notifyChannel, channel) => {
    const { chat, send } = createRig();
    await send(status(1, 'queued'), { notifyChannel });
    expect(chat.messages.map((m) => m.channel)).toEqual([channel]);
  });

  it.each([
    ['a channel deploybot.yml does not name', 'C0API', 'C0WEB'],
    ['a DM', 'D0MALLORY', 'C0WEB'],
    ['the default channel, which deploybot.yml names', 'C0DEPLOYS', 'C0DEPLOYS'],
  ])(
    "honours another creator's payload only for channels deploybot.yml names: %s",
    async (_what, notifyChannel, channel) => {
      const { chat, send } = createRig();
      await send(status(1, 'queued'), { notifyChannel, creator: 'mallory' });
      expect(chat.messages.map((m) => m.channel)).toEqual([channel]);
    },
  );

  it("honours the payload channel of deploybot's own deployment whatever case GitHub gives its login", async () => {
    const { chat, send } = createRig();
    await send(status(1, 'queued'), { notifyChannel: 'C0API', creator: 'DeployBot[bot]' });
    expect(chat.messages.map((m) => m.channel)).toEqual(['C0API']);
  });

  it('announces a repository missing from deploybot.yml in the default channel', async () => {
    const { chat, send } = createRig();
    await send(status(1, 'in_progress'), { deployment: deployment({ repository: 'octo-org/other' }) });
    expect(chat.messages.map((m) => m.channel)).toEqual(['C0DEPLOYS']);
  });

  it.each(['slack_channel_not_found', 'slack_not_in_channel'] as const)(
    'falls back to the next channel when the first answers %s, and updates there',
    async (code) => {
      const { chat, log, send } = createRig();
      chat.refuseChannel('C0GONE', code);
      await send(status(1, 'pending'), { notifyChannel: 'C0GONE' });
      await send(status(2, 'success'), { notifyChannel: 'C0GONE' });
      const [message] = chat.inChannel('C0WEB');
      expect(message?.content.text).toContain(': success');
      expect(message?.history).toHaveLength(1);
      expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.fields)).toEqual([
        expect.objectContaining({ channel: 'C0GONE', code }),
      ]);
    },
  );

  it('updates in the channel Slack answered with, whatever name the payload gave', async () => {
    const { chat, send } = createRig((memory) => ({
      ...memory,
      postMessage: (channel, content, options) =>
        memory.postMessage(channel === '#web' ? 'C0WEB' : channel, content, options),
    }));
    await send(status(1, 'pending'), { notifyChannel: '#web' });
    await send(status(2, 'success'), { notifyChannel: '#web' });
    expect(chat.inChannel('C0WEB')[0]?.history).toHaveLength(1);
  });

  it('throws what is not about the channel, for the delivery to be retried', async () => {
    const { chat, store, send } = createRig();
    chat.refuseChannel('C0WEB', 'slack_unavailable');
    await expect(send(status(1, 'pending'))).rejects.toMatchObject({ code: 'slack_unavailable' });
    expect(await store.getAnnouncement(7)).toBeUndefined();
    expect(chat.messages).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { createExpireLocks } from '../../src/deploys/expire-locks.js';
import { type ChatRig, createChatRig } from '../support/chat-rig.js';
import { createRecordingReplier } from '../support/memory/memory-chat.js';
import { aLockWaitRequest } from '../support/records.js';

async function lockFor(rig: ChatRig, environment: string, durationMs?: number) {
  await rig.lockEnvironment(
    {
      ...rig.target('web', environment),
      reason: 'quick fix',
      ...(durationMs === undefined ? {} : { durationMs }),
      steal: false,
    },
    rig.asker(),
    createRecordingReplier(),
  );
}

const wait = (id: string, environment: string) => ({
  id,
  repository: 'octo-org/web',
  environment,
  request: aLockWaitRequest({ environment }),
  channel: 'C0WEB',
  messageTs: undefined,
  createdAt: 0,
});

describe('expireLocks', () => {
  it('lets a lock lapse on the sweep after its duration, announced in the repository channel', async () => {
    const rig = createChatRig();
    await lockFor(rig, 'staging', 30 * 60_000);
    await lockFor(rig, 'production');
    const stop = rig.scheduler.every(60_000, rig.expireLocks, () => undefined);
    await rig.scheduler.advance(29 * 60_000);
    expect(rig.chat.messages).toEqual([]);
    await rig.scheduler.advance(2 * 60_000);
    stop();

    expect(rig.chat.messages.map((m) => [m.channel, m.content.text])).toEqual([
      [
        'C0WEB',
        ":unlock: <@U0ALICE>'s lock on *staging* of *octo-org/web* (“quick fix”) expired; anyone may deploy there again.",
      ],
    ]);
    expect(await rig.store.getLock('octo-org/web', 'staging')).toBeUndefined();
    expect(await rig.store.getLock('octo-org/web', 'production')).toBeDefined();
    expect(rig.log.lines.map((l) => l.message)).toContain('lock expired');
  });

  it('releases deploys still waiting where no lock holds, and only there', async () => {
    const rig = createChatRig();
    await lockFor(rig, 'production');
    await rig.store.saveLockWait(wait('w1', 'staging'));
    await rig.store.saveLockWait(wait('w2', 'production'));
    await rig.expireLocks();
    expect(rig.unlocked).toEqual([{ repository: 'octo-org/web', environment: 'staging' }]);
  });

  it('goes on when the announcement or a release fails', async () => {
    const rig = createChatRig();
    await lockFor(rig, 'staging', 60_000);
    await rig.store.saveLockWait(wait('w1', 'staging'));
    await rig.store.saveLockWait(wait('w2', 'qa'));
    rig.chat.refuseChannel('C0WEB', 'slack_not_in_channel');
    const released: string[] = [];
    const expireLocks = createExpireLocks({
      ...rig.deps,
      onUnlocked: async (_repository, environment) => {
        released.push(environment);
        if (environment === 'staging') throw new Error('GitHub is down');
      },
    });
    await rig.scheduler.advance(60_000);
    await expireLocks();
    expect(await rig.store.getLock('octo-org/web', 'staging')).toBeUndefined();
    expect(released).toEqual(['staging', 'qa']);
    expect(rig.log.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      'could not announce an expired lock',
      'waiting deploys not sent yet; will retry',
    ]);
  });
});

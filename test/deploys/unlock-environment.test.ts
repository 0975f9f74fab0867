import { describe, expect, it } from 'vitest';
import { createUnlockEnvironment } from '../../src/deploys/unlock-environment.js';
import { type ChatRig, createChatRig } from '../support/chat-rig.js';
import { createRecordingReplier } from '../support/memory/memory-chat.js';

async function lockStaging(rig: ChatRig) {
  await rig.lockEnvironment(
    { ...rig.target('web', 'staging'), reason: 'release freeze', steal: false },
    rig.asker(),
    createRecordingReplier(),
  );
}

async function unlock(rig: ChatRig, userId: string, unlockEnvironment = rig.unlockEnvironment) {
  const reply = createRecordingReplier();
  await unlockEnvironment(rig.target('web', 'staging'), rig.asker(userId), reply);
  return reply;
}

describe('unlockEnvironment', () => {
  it('lets the holder unlock, for the channel to see, and releases what waited for the lock', async () => {
    const rig = createChatRig();
    await lockStaging(rig);
    const reply = await unlock(rig, 'U0ALICE');
    expect(reply.replies).toEqual([
      {
        visibility: 'public',
        content: expect.objectContaining({
          text: ':unlock: <@U0ALICE> unlocked *staging* of *octo-org/web*.',
        }),
      },
    ]);
    expect(await rig.store.getLock('octo-org/web', 'staging')).toBeUndefined();
    expect(rig.unlocked).toEqual([{ repository: 'octo-org/web', environment: 'staging' }]);
  });

  it('refuses anyone else, naming who may', async () => {
    const rig = createChatRig();
    await lockStaging(rig);
    const reply = await unlock(rig, 'U0BOB');
    expect(reply.texts()).toEqual([
      '*staging* of *octo-org/web* is locked by <@U0ALICE> (just now): “release freeze”. Only <@U0ALICE> or an admin can unlock it.',
    ]);
    expect(await rig.store.getLock('octo-org/web', 'staging')).toBeDefined();
    expect(rig.unlocked).toEqual([]);
  });

  it("lets an admin unlock someone else's lock", async () => {
    const rig = createChatRig();
    await rig.lockEnvironment(
      { ...rig.target('web', 'production'), steal: false },
      rig.asker(),
      createRecordingReplier(),
    );
    const reply = createRecordingReplier();
    await rig.unlockEnvironment(rig.target('web', 'prod'), rig.asker('U0ADMIN'), reply);
    expect(reply.texts()).toEqual([
      ":unlock: <@U0ADMIN> unlocked *production* of *octo-org/web* (it was <@U0ALICE>'s).",
    ]);
  });

  it('says when there is no lock, or it lapsed', async () => {
    const rig = createChatRig();
    expect((await unlock(rig, 'U0ALICE')).texts()).toEqual(['*staging* of *octo-org/web* is not locked.']);
    await rig.lockEnvironment(
      { ...rig.target('web', 'staging'), durationMs: 60_000, steal: false },
      rig.asker(),
      createRecordingReplier(),
    );
    await rig.scheduler.advance(60_000);
    expect((await unlock(rig, 'U0ALICE')).texts()).toEqual(['*staging* of *octo-org/web* is not locked.']);
    expect(rig.unlocked).toEqual([]);
  });

  it('still answers when releasing the waiting deploys fails; the lock sweep sends them later', async () => {
    const rig = createChatRig();
    await lockStaging(rig);
    const unlockEnvironment = createUnlockEnvironment({
      ...rig.deps,
      onUnlocked: async () => {
        throw new Error('GitHub is down');
      },
    });
    const reply = await unlock(rig, 'U0ALICE', unlockEnvironment);
    expect(reply.texts()[0]).toContain('unlocked');
    expect(rig.log.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'waiting deploys not sent yet; will retry' }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { createLockEnvironment } from '../../src/deploys/lock-environment.js';
import { buttonOf, type ChatRig, createChatRig, lastOf } from '../support/chat-rig.js';
import { createRecordingReplier } from '../support/memory/memory-chat.js';

async function lock(
  rig: ChatRig,
  environment: string,
  userId: string,
  extra: { reason?: string; durationMs?: number; steal?: boolean } = {},
) {
  const reply = createRecordingReplier();
  const { steal = false, ...details } = extra;
  await rig.lockEnvironment(
    { ...rig.target('web', environment), ...details, steal },
    rig.asker(userId),
    reply,
  );
  return reply;
}

describe('lockEnvironment', () => {
  it('locks for the channel to see, with reason and duration', async () => {
    const rig = createChatRig();
    const reply = await lock(rig, 'staging', 'U0ALICE', {
      reason: 'release freeze',
      durationMs: 30 * 60_000,
    });
    expect(reply.replies).toEqual([
      {
        visibility: 'public',
        content: expect.objectContaining({
          text: ':lock: Locked: *staging* of *octo-org/web* for 30m: “release freeze”.',
        }),
      },
    ]);
    const now = rig.scheduler.now();
    expect(await rig.store.getLock('octo-org/web', 'staging')).toEqual({
      repository: 'octo-org/web',
      environment: 'staging',
      holder: 'U0ALICE',
      reason: 'release freeze',
      lockedAt: now,
      expiresAt: now + 30 * 60_000,
    });
    expect(rig.log.lines.map((l) => l.message)).toEqual(['locked']);
  });

  it('updates the holder’s own lock', async () => {
    const rig = createChatRig();
    await lock(rig, 'staging', 'U0ALICE', { reason: 'first' });
    const reply = await lock(rig, 'staging', 'U0ALICE', { reason: 'second' });
    expect(reply.texts()).toEqual([':lock: Lock updated: *staging* of *octo-org/web*: “second”.']);
    expect((await rig.store.getLock('octo-org/web', 'staging'))?.reason).toBe('second');
  });

  it('lets only those who may deploy there lock it', async () => {
    const rig = createChatRig();
    const reply = await lock(rig, 'production', 'U0DAVE');
    expect(lastOf(reply)?.visibility).toBe('private');
    expect(reply.texts()[0]).toContain('You may not deploy to *production*. Ask <@U0ALICE>');
    expect(await rig.store.getLock('octo-org/web', 'production')).toBeUndefined();
  });

  it("refuses someone else's lock, saying how an admin takes it over", async () => {
    const rig = createChatRig();
    await lock(rig, 'production', 'U0ALICE', { reason: 'release freeze' });
    const reply = await lock(rig, 'production', 'U0BOB');
    expect(reply.texts()).toEqual([
      '*production* of *octo-org/web* is locked by <@U0ALICE> (just now): “release freeze”. An admin can take it over with `lock …!`.',
    ]);
  });

  it('refuses a take-over by someone who is not an admin', async () => {
    const rig = createChatRig();
    await lock(rig, 'production', 'U0ALICE');
    const reply = await lock(rig, 'production', 'U0BOB', { steal: true });
    expect(reply.texts()).toEqual(['Only admins may take over a lock on *production*. Ask <@U0ADMIN>.']);
  });

  it('asks an admin to confirm a take-over, and keeps the lock until then', async () => {
    const rig = createChatRig();
    await lock(rig, 'production', 'U0ALICE');
    const held = await rig.store.getLock('octo-org/web', 'production');
    const reply = await lock(rig, 'production', 'U0ADMIN', { steal: true, reason: 'hotfix' });
    const prompt = lastOf(reply);
    expect(prompt?.visibility).toBe('private');
    expect(prompt?.content.text).toContain('Take it over? <@U0ALICE> will be told.');
    const id = buttonOf(prompt?.content, 'lock_steal_confirm');
    expect(buttonOf(prompt?.content, 'lock_steal_cancel')).toBe(id);
    expect(await rig.store.getConfirmation(id!)).toMatchObject({
      kind: 'steal',
      userId: 'U0ADMIN',
      channel: 'C0WEB',
      request: { previous: held, lock: { holder: 'U0ADMIN', reason: 'hotfix' } },
    });
    expect(await rig.store.getLock('octo-org/web', 'production')).toEqual(held);
  });

  it('says so when someone changed the lock at the same moment', async () => {
    const rig = createChatRig();
    await rig.store.replaceLock(
      { repository: 'octo-org/web', environment: 'staging', holder: 'U0BOB', lockedAt: 1 },
      undefined,
    );
    // Bob's lock landed after Alice's lock was read: she saw none.
    const lockEnvironment = createLockEnvironment({
      ...rig.deps,
      store: { ...rig.store, getLock: async () => undefined },
    });
    const reply = createRecordingReplier();
    await lockEnvironment({ ...rig.target('web', 'staging'), steal: false }, rig.asker(), reply);
    expect(reply.replies).toEqual([
      {
        visibility: 'private',
        content: { text: 'Someone changed that lock a moment ago; look with `where` and try again.' },
      },
    ]);
    expect((await rig.store.getLock('octo-org/web', 'staging'))?.holder).toBe('U0BOB');
  });
});

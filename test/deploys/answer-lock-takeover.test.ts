import { describe, expect, it } from 'vitest';
import { buttonOf, type ChatRig, createChatRig } from '../support/chat-rig.js';
import { createRecordingReplier } from '../support/memory/memory-chat.js';

/** Alice locks production (for `durationMs`, if given); the admin asks to take it over. Returns the button's id. */
async function askToTakeOver(rig: ChatRig, durationMs?: number): Promise<string> {
  const production = rig.target('web', 'production');
  await rig.lockEnvironment(
    {
      ...production,
      reason: 'release freeze',
      ...(durationMs === undefined ? {} : { durationMs }),
      steal: false,
    },
    rig.asker(),
    createRecordingReplier(),
  );
  const reply = createRecordingReplier();
  await rig.lockEnvironment(
    { ...production, reason: 'hotfix', ...(durationMs === undefined ? {} : { durationMs }), steal: true },
    rig.asker('U0ADMIN'),
    reply,
  );
  const id = buttonOf(reply.replies.at(-1)?.content, 'lock_steal_confirm');
  if (id === undefined) throw new Error(`no take-over prompt: ${reply.texts().join(' / ')}`);
  return id;
}

describe('answerLockTakeover', () => {
  it('takes the lock over, and tells the previous holder in the channel', async () => {
    const rig = createChatRig();
    const id = await askToTakeOver(rig);
    const replies = rig.replies();
    await rig.answerLockTakeover({ id, userId: 'U0ADMIN', answer: 'confirm' }, replies);
    expect(replies.prompt.replies).toEqual([
      {
        visibility: 'private',
        content: expect.objectContaining({
          text: ':lock: Locked: *production* of *octo-org/web*: “hotfix”.',
        }),
      },
    ]);
    expect(replies.fresh.replies).toEqual([
      {
        visibility: 'public',
        content: expect.objectContaining({
          text: ':lock: <@U0ALICE>, <@U0ADMIN> took over your lock on *production* of *octo-org/web*: “hotfix”.',
        }),
      },
    ]);
    expect(await rig.store.getLock('octo-org/web', 'production')).toMatchObject({ holder: 'U0ADMIN' });
    expect(rig.log.lines.map((l) => l.message)).toContain('lock taken over');

    // Alice is kept out now, and told by whom.
    const alice = createRecordingReplier();
    await rig.requestChatDeploy(
      { ...rig.target('web', 'production'), force: false, rollback: false },
      rig.asker(),
      alice,
    );
    expect(alice.texts()[0]).toContain('is locked by <@U0ADMIN>');
  });

  it('keeps the duration asked for, counted from the take-over', async () => {
    const rig = createChatRig();
    const id = await askToTakeOver(rig, 30 * 60_000);
    await rig.scheduler.advance(2 * 60_000);
    await rig.answerLockTakeover({ id, userId: 'U0ADMIN', answer: 'confirm' }, rig.replies());
    const now = rig.scheduler.now();
    expect(await rig.store.getLock('octo-org/web', 'production')).toMatchObject({
      holder: 'U0ADMIN',
      lockedAt: now,
      expiresAt: now + 30 * 60_000,
    });
  });

  it('cancels, leaving the lock as it was', async () => {
    const rig = createChatRig();
    const id = await askToTakeOver(rig);
    const replies = rig.replies();
    await rig.answerLockTakeover({ id, userId: 'U0ADMIN', answer: 'cancel' }, replies);
    expect(replies.prompt.texts()).toEqual([':x: Cancelled; nothing was deployed.']);
    expect(await rig.store.getLock('octo-org/web', 'production')).toMatchObject({ holder: 'U0ALICE' });
  });

  it("refuses someone else's press, and answers a second press in plain text", async () => {
    const rig = createChatRig();
    const id = await askToTakeOver(rig);
    const alice = rig.replies();
    await rig.answerLockTakeover({ id, userId: 'U0ALICE', answer: 'cancel' }, alice);
    expect(alice.fresh.texts()).toEqual(["Only <@U0ADMIN> can press these buttons: it's their deploy."]);

    await rig.answerLockTakeover({ id, userId: 'U0ADMIN', answer: 'confirm' }, rig.replies());
    const again = rig.replies();
    await rig.answerLockTakeover({ id, userId: 'U0ADMIN', answer: 'confirm' }, again);
    expect(again.fresh.replies).toEqual([
      { visibility: 'private', content: { text: 'This was already answered; nothing more to do.' } },
    ]);
  });

  it('expires after 5 minutes', async () => {
    const rig = createChatRig();
    const id = await askToTakeOver(rig);
    await rig.scheduler.advance(5 * 60_000);
    const replies = rig.replies();
    await rig.answerLockTakeover({ id, userId: 'U0ADMIN', answer: 'confirm' }, replies);
    expect(replies.prompt.texts()[0]).toMatch(/expired/);
    expect(await rig.store.getLock('octo-org/web', 'production')).toMatchObject({ holder: 'U0ALICE' });
  });

  it('says so when the lock changed while the prompt waited', async () => {
    const rig = createChatRig();
    const id = await askToTakeOver(rig);
    await rig.unlockEnvironment(rig.target('web', 'production'), rig.asker(), createRecordingReplier());
    const replies = rig.replies();
    await rig.answerLockTakeover({ id, userId: 'U0ADMIN', answer: 'confirm' }, replies);
    expect(replies.prompt.texts()).toEqual([
      'Someone changed that lock a moment ago; look with `where` and try again.',
    ]);
    expect(await rig.store.getLock('octo-org/web', 'production')).toBeUndefined();
  });

  it('does not answer the buttons of a deploy', async () => {
    const rig = createChatRig();
    const reply = createRecordingReplier();
    await rig.requestChatDeploy(
      { ...rig.target('web', 'production'), force: false, rollback: false },
      rig.asker(),
      reply,
    );
    const deployId = buttonOf(reply.replies[0]?.content, 'deploy_confirm')!;
    const replies = rig.replies();
    await rig.answerLockTakeover({ id: deployId, userId: 'U0ALICE', answer: 'confirm' }, replies);
    expect(replies.fresh.texts()[0]).toMatch(/expired/);
    expect((await rig.store.getConfirmation(deployId))?.state).toBe('open');
  });
});

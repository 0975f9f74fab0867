import { describe, expect, it } from 'vitest';
import { buttonOf, type ChatRig, createChatRig, lastOf, textOf } from '../support/chat-rig.js';
import { createRecordingReplier } from '../support/memory/memory-chat.js';

const TWO_APPROVALS = `
slack: { channel: C0DEPLOYS }
github: { owner: octo-org }
repos:
  octo-org/web:
    channel: C0WEB
    environments:
      qa:
        confirm: false
        approvals: 2
`;

/** Alice asks to deploy web to qa; returns the Approve button's id. */
async function askForQa(rig: ChatRig): Promise<string> {
  await rig.requestChatDeploy(
    { ...rig.target('web', 'qa'), force: false, rollback: false },
    rig.asker('U0ALICE', { threadTs: '1700000001.000100' }),
    createRecordingReplier(),
  );
  const id = buttonOf(rig.chat.messages.at(-1)?.content, 'deploy_approve');
  if (id === undefined) throw new Error('no approval request');
  return id;
}

describe('approveDeploy', () => {
  it('waits for someone else among the deployers; the approved commit ships and the asker is told', async () => {
    const rig = createChatRig();
    const approvedSha = rig.github.commit('octo-org/web', 'main');
    const id = await askForQa(rig);
    rig.github.commit('octo-org/web', 'main', 'Moved on since');

    const own = rig.replies();
    await rig.approveDeploy({ id, userId: 'U0ALICE' }, own);
    expect(own.fresh.texts()[0]).toMatch(
      /^You cannot approve your own deploy; someone else has to\. Ask <@U0BOB>\.$/,
    );
    const outsider = rig.replies();
    await rig.approveDeploy({ id, userId: 'U0DAVE' }, outsider);
    expect(outsider.fresh.texts()[0]).toBe('Only deployers of *qa* may approve deploys there. Ask <@U0BOB>.');
    expect(rig.created()).toEqual([]);

    const approved = rig.replies();
    await rig.approveDeploy({ id, userId: 'U0BOB' }, approved);
    // In place of the request, for the channel to see.
    expect(approved.prompt.replies).toEqual([
      {
        visibility: 'public',
        content: expect.objectContaining({
          text: ":white_check_mark: <@U0BOB> approved <@U0ALICE>'s deploy of *octo-org/web* `main` to *qa*.",
        }),
      },
    ]);
    // The outcome is the asker's, in the thread they asked in.
    expect(rig.chat.ephemerals).toEqual([
      expect.objectContaining({ channel: 'C0WEB', user: 'U0ALICE', threadTs: '1700000001.000100' }),
    ]);
    expect(rig.chat.ephemerals[0]?.content.text).toContain('created');
    expect(rig.created().map((d) => d.request)).toEqual([
      expect.objectContaining({
        ref: approvedSha,
        environment: 'qa',
        payload: expect.objectContaining({ approved_by: ['U0BOB'] }),
      }),
    ]);
  });

  it('approves once, however often Approve is pressed', async () => {
    const rig = createChatRig();
    const id = await askForQa(rig);
    await rig.approveDeploy({ id, userId: 'U0BOB' }, rig.replies());
    const again = rig.replies();
    await rig.approveDeploy({ id, userId: 'U0BOB' }, again);
    expect(again.fresh.texts()).toEqual(['This was already answered; nothing more to do.']);
    expect(rig.created()).toHaveLength(1);
  });

  it('asks again while approvals are missing', async () => {
    const rig = createChatRig({ config: TWO_APPROVALS });
    const first = await askForQa(rig);
    await rig.approveDeploy({ id: first, userId: 'U0BOB' }, rig.replies());
    expect(rig.created()).toEqual([]);
    const second = buttonOf(rig.chat.messages.at(-1)?.content, 'deploy_approve');
    expect(second).not.toBe(first);
    expect(rig.chat.messages.at(-1)?.content.text).toContain('It needs an approval from someone else.');
    expect(rig.chat.ephemerals.map((e) => e.content.text)).toEqual([
      ':raised_hand: Approval requested in <#C0WEB>; it deploys once approved.',
    ]);
    await rig.approveDeploy({ id: second!, userId: 'U0CAROL' }, rig.replies());
    expect(rig.created()[0]?.request?.payload).toMatchObject({ approved_by: ['U0BOB', 'U0CAROL'] });
  });

  it('lasts the working day: expired after 12 hours', async () => {
    const rig = createChatRig();
    const id = await askForQa(rig);
    await rig.scheduler.advance(12 * 60 * 60_000);
    const late = rig.replies();
    await rig.approveDeploy({ id, userId: 'U0BOB' }, late);
    expect(textOf(lastOf(late.prompt)?.content)).toMatch(/expired/);
    expect(rig.created()).toEqual([]);
  });

  it("checks the asker's deploy again: a lock taken meanwhile refuses it", async () => {
    const rig = createChatRig();
    const id = await askForQa(rig);
    await rig.store.replaceLock(
      { repository: 'octo-org/web', environment: 'qa', holder: 'U0BOB', lockedAt: rig.scheduler.now() },
      undefined,
    );
    const approved = rig.replies();
    await rig.approveDeploy({ id, userId: 'U0BOB' }, approved);
    expect(approved.prompt.texts()[0]).toContain('is locked by <@U0BOB>');
    expect(rig.created()).toEqual([]);
  });
});

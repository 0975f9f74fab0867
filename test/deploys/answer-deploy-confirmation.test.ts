import { describe, expect, it } from 'vitest';
import { buttonOf, type ChatRig, createChatRig, lastOf, textOf } from '../support/chat-rig.js';
import { createRecordingReplier } from '../support/memory/memory-chat.js';
import { aChatDeployPlan } from '../support/records.js';

/** Alice (or `userId`) asks to deploy web to production; returns the prompt's confirmation id. */
async function ask(rig: ChatRig, userId = 'U0ALICE', force = false): Promise<string> {
  const reply = createRecordingReplier();
  await rig.requestChatDeploy(
    { ...rig.target('web', 'production'), force, rollback: false },
    rig.asker(userId),
    reply,
  );
  const id = buttonOf(lastOf(reply)?.content, 'deploy_confirm');
  if (id === undefined) throw new Error(`no prompt: ${reply.texts().join(' / ')}`);
  return id;
}

function setUp() {
  const rig = createChatRig();
  const head = rig.github.commit('octo-org/web', 'main', 'Release');
  rig.github.setCheck('octo-org/web', head, 'ci/build', 'success');
  return { rig, head };
}

describe('answerDeployConfirmation', () => {
  it('deploys the commit shown once, however often Deploy is pressed', async () => {
    const { rig, head } = setUp();
    const id = await ask(rig);
    // The branch moves on while the prompt waits: what was shown is what ships.
    rig.github.commit('octo-org/web', 'main', 'Later');
    const first = rig.replies();
    const second = rig.replies();
    await rig.answerDeployConfirmation({ id, userId: 'U0ALICE', answer: 'confirm' }, first);
    await rig.answerDeployConfirmation({ id, userId: 'U0ALICE', answer: 'confirm' }, second);

    expect(first.prompt.texts()[0]).toMatch(
      /^:rocket: Deployment \d+ of \*octo-org\/web\* `main` to \*production\* created/,
    );
    expect(second.fresh.texts()).toEqual(['This was already answered; nothing more to do.']);
    expect(second.fresh.replies[0]?.content.blocks).toHaveLength(1);
    expect(rig.created().map((d) => d.request)).toEqual([
      expect.objectContaining({
        ref: head,
        environment: 'production',
        production_environment: true,
        required_contexts: ['ci/build'],
      }),
    ]);
    expect(rig.handedOff).toHaveLength(1);
  });

  it("refuses someone else's press, as a new message; the asker's button still works", async () => {
    const { rig } = setUp();
    const id = await ask(rig);
    const bob = rig.replies();
    await rig.answerDeployConfirmation({ id, userId: 'U0BOB', answer: 'confirm' }, bob);
    expect(bob.fresh.texts()).toEqual(["Only <@U0ALICE> can press these buttons: it's their deploy."]);
    expect(bob.prompt.replies).toEqual([]);
    expect(rig.created()).toEqual([]);
    const alice = rig.replies();
    await rig.answerDeployConfirmation({ id, userId: 'U0ALICE', answer: 'confirm' }, alice);
    expect(textOf(lastOf(alice.prompt)?.content)).toContain('created');
  });

  it('cancels in place of the prompt; a later Deploy does nothing', async () => {
    const { rig } = setUp();
    const id = await ask(rig);
    const cancelled = rig.replies();
    await rig.answerDeployConfirmation({ id, userId: 'U0ALICE', answer: 'cancel' }, cancelled);
    expect(cancelled.prompt.texts()).toEqual([':x: Cancelled; nothing was deployed.']);
    const late = rig.replies();
    await rig.answerDeployConfirmation({ id, userId: 'U0ALICE', answer: 'confirm' }, late);
    expect(late.fresh.texts()).toEqual(['This was already answered; nothing more to do.']);
    expect(rig.created()).toEqual([]);
  });

  it('expires after 5 minutes', async () => {
    const { rig } = setUp();
    const id = await ask(rig);
    await rig.scheduler.advance(5 * 60_000 + 1);
    const pressed = rig.replies();
    await rig.answerDeployConfirmation({ id, userId: 'U0ALICE', answer: 'confirm' }, pressed);
    expect(pressed.prompt.texts()[0]).toMatch(/expired after 5 minutes; nothing was deployed/);
    expect(rig.created()).toEqual([]);
  });

  it('answers an id it does not know as expired', async () => {
    const { rig } = setUp();
    const pressed = rig.replies();
    await rig.answerDeployConfirmation({ id: 'never-saved', userId: 'U0ALICE', answer: 'confirm' }, pressed);
    expect(pressed.fresh.texts()[0]).toMatch(/expired after 5 minutes/);
  });

  it('checks again on the press: a lock taken meanwhile refuses the deploy', async () => {
    const { rig } = setUp();
    const id = await ask(rig);
    await rig.store.replaceLock(
      {
        repository: 'octo-org/web',
        environment: 'production',
        holder: 'U0BOB',
        lockedAt: rig.scheduler.now(),
      },
      undefined,
    );
    const pressed = rig.replies();
    await rig.answerDeployConfirmation({ id, userId: 'U0ALICE', answer: 'confirm' }, pressed);
    expect(pressed.prompt.texts()[0]).toContain('is locked by <@U0BOB>');
    expect(rig.created()).toEqual([]);
  });

  it('lists failing checks with "Deploy anyway" for an admin, who can press it', async () => {
    const { rig, head } = setUp();
    rig.github.setCheck('octo-org/web', head, 'ci/build', 'failure');
    const id = await ask(rig, 'U0ADMIN');
    const confirmed = rig.replies();
    await rig.answerDeployConfirmation({ id, userId: 'U0ADMIN', answer: 'confirm' }, confirmed);
    const refused = lastOf(confirmed.prompt)?.content;
    expect(textOf(refused)).toContain('`ci/build` failure');
    const force = buttonOf(refused, 'deploy_force');
    expect(force).toBeDefined();
    expect(await rig.store.getConfirmation(force!)).toMatchObject({
      kind: 'force',
      request: { force: true },
    });

    const forced = rig.replies();
    await rig.answerDeployConfirmation({ id: force!, userId: 'U0ADMIN', answer: 'confirm' }, forced);
    expect(textOf(lastOf(forced.prompt)?.content)).toContain('created');
    expect(rig.created().map((d) => d.request)).toEqual([
      expect.objectContaining({
        ref: head,
        required_contexts: [],
        payload: expect.objectContaining({ forced: true }),
      }),
    ]);
  });

  it('shows failing checks without "Deploy anyway" to someone who may not force', async () => {
    const { rig, head } = setUp();
    rig.github.setCheck('octo-org/web', head, 'ci/build', 'failure');
    const id = await ask(rig);
    const confirmed = rig.replies();
    await rig.answerDeployConfirmation({ id, userId: 'U0ALICE', answer: 'confirm' }, confirmed);
    expect(textOf(lastOf(confirmed.prompt)?.content)).toContain('ci/build');
    expect(buttonOf(lastOf(confirmed.prompt)?.content, 'deploy_force')).toBeUndefined();
  });

  it('lets an admin force with a trailing !: the prompt says so and the deployment is forced', async () => {
    const { rig, head } = setUp();
    rig.github.setCheck('octo-org/web', head, 'ci/build', 'failure');
    const id = await ask(rig, 'U0ADMIN', true);
    const confirmed = rig.replies();
    await rig.answerDeployConfirmation({ id, userId: 'U0ADMIN', answer: 'confirm' }, confirmed);
    expect(textOf(lastOf(confirmed.prompt)?.content)).toContain('created');
    expect(rig.created()[0]?.request).toMatchObject({ required_contexts: [], payload: { forced: true } });
  });

  it('refuses to go on with an environment deploybot.yml no longer has', async () => {
    const { rig } = setUp();
    await rig.store.saveConfirmation({
      id: 'gone',
      kind: 'deploy',
      userId: 'U0ALICE',
      channel: 'C0WEB',
      request: aChatDeployPlan({ environment: 'removed' }),
      createdAt: rig.scheduler.now(),
      expiresAt: rig.scheduler.now() + 60_000,
    });
    await expect(
      rig.answerDeployConfirmation({ id: 'gone', userId: 'U0ALICE', answer: 'confirm' }, rig.replies()),
    ).rejects.toMatchObject({ code: 'unknown_environment' });
    expect((await rig.store.getConfirmation('gone'))?.state).toBe('open');
  });
});

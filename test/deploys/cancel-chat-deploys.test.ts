import { describe, expect, it } from 'vitest';
import { laneOf } from '../../src/core/deploy-queue.js';
import { createLock } from '../../src/core/lock.js';
import { createChatRig } from '../support/chat-rig.js';
import { createRecordingReplier } from '../support/memory/memory-chat.js';

describe('cancelChatDeploys', () => {
  it('cancels what the deployer has there, for the channel to see, naming who did', async () => {
    const rig = createChatRig();
    rig.cancels([1001, 1002]);
    const reply = createRecordingReplier();
    await rig.cancelChatDeploys(rig.target('web', 'staging'), rig.asker('U0BOB'), reply);
    expect(rig.cancelRequests).toEqual([
      { target: { repository: 'octo-org/web', environment: 'staging' }, by: 'u0bob' },
    ]);
    expect(reply.replies).toEqual([
      {
        visibility: 'public',
        content: {
          text: ':octagonal_sign: <@U0BOB> cancelled deployment 1001, 1002 on *staging* of *octo-org/web*.',
        },
      },
    ]);
  });

  it('says when nothing is queued or running', async () => {
    const rig = createChatRig();
    const reply = createRecordingReplier();
    await rig.cancelChatDeploys(rig.target('web', 'staging'), rig.asker(), reply);
    expect(rig.cancelRequests.map((r) => r.by)).toEqual(['alice-gh']);
    expect(reply.replies).toEqual([
      {
        visibility: 'private',
        content: { text: 'Nothing is queued or running on *staging* of *octo-org/web*.' },
      },
    ]);
  });

  it('lets only those who may deploy there cancel', async () => {
    const rig = createChatRig();
    const reply = createRecordingReplier();
    await rig.cancelChatDeploys(rig.target('web', 'production'), rig.asker('U0DAVE'), reply);
    expect(reply.texts()[0]).toContain('You may not deploy to *production*');
    expect(rig.cancelRequests).toEqual([]);
  });

  describe("someone else's deployment", () => {
    async function rigWith(payload: unknown, creator?: string) {
      const rig = createChatRig();
      await rig.store.recordDeployJob({
        deploymentId: 2001,
        repository: 'octo-org/web',
        environment: 'production',
        lane: laneOf('octo-org/web', 'production'),
        ref: 'main',
        sha: 'a'.repeat(40),
        task: 'deploy',
        creator,
        payload,
        logToken: 'token',
        enqueuedAt: rig.scheduler.now(),
      });
      rig.cancels([2001]);
      return rig;
    }
    const bobs = { deploy_user: 'u0bob', notify: { adapter: 'slack', channel: 'C0WEB', user: 'U0BOB' } };

    it('lets the one who asked for it cancel it', async () => {
      const rig = await rigWith(bobs);
      const reply = createRecordingReplier();
      await rig.cancelChatDeploys(rig.target('web', 'production'), rig.asker('U0BOB'), reply);
      expect(rig.cancelRequests).toHaveLength(1);
    });

    it('refuses another deployer, naming the admins and the lock holder', async () => {
      const rig = await rigWith(bobs);
      const reply = createRecordingReplier();
      await rig.cancelChatDeploys(rig.target('web', 'production'), rig.asker('U0ALICE'), reply);
      expect(rig.cancelRequests).toEqual([]);
      expect(reply.texts()[0]).toBe(
        'Someone else asked for a deploy there; only admins of *production* or the lock holder may cancel it. Ask <@U0ADMIN>.',
      );
    });

    it('refuses for one created on GitHub by someone else', async () => {
      const rig = await rigWith(undefined, 'mallory');
      const reply = createRecordingReplier();
      await rig.cancelChatDeploys(rig.target('web', 'production'), rig.asker('U0ALICE'), reply);
      expect(rig.cancelRequests).toEqual([]);
    });

    it("lets the environment's admin and its lock holder cancel it", async () => {
      const rig = await rigWith(bobs);
      await rig.cancelChatDeploys(
        rig.target('web', 'production'),
        rig.asker('U0ADMIN'),
        createRecordingReplier(),
      );
      await rig.store.replaceLock(
        createLock({
          repository: 'octo-org/web',
          environment: 'production',
          holder: 'U0ALICE',
          now: rig.scheduler.now(),
        }),
        undefined,
      );
      await rig.cancelChatDeploys(
        rig.target('web', 'production'),
        rig.asker('U0ALICE'),
        createRecordingReplier(),
      );
      expect(rig.cancelRequests.map((r) => r.by)).toEqual(['u0admin', 'alice-gh']);
    });
  });

  it('refuses a guest and a Slack Connect user where deployers is absent, before cancelling anything', async () => {
    const rig = createChatRig();
    rig.chat.setUser('U0GUEST', { isGuest: true });
    rig.chat.setUser('U0CONNECT', { teamId: 'T0OTHER' });
    const guest = createRecordingReplier();
    const outsider = createRecordingReplier();
    await rig.cancelChatDeploys(rig.target('web', 'staging'), rig.asker('U0GUEST'), guest);
    await rig.cancelChatDeploys(rig.target('web', 'staging'), rig.asker('U0CONNECT'), outsider);
    expect(guest.texts()[0]).toContain('Guests of this workspace may use deploybot on *staging*');
    expect(outsider.texts()[0]).toContain('Users of other workspaces may use deploybot on *staging*');
    expect(rig.cancelRequests).toEqual([]);
  });
});

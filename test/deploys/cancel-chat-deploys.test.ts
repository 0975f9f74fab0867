import { describe, expect, it } from 'vitest';
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
});

import { describe, expect, it } from 'vitest';
import { buttonOf, createChatRig, deployWebElsewhere } from '../support/chat-rig.js';
import { createRecordingReplier } from '../support/memory/memory-chat.js';

describe('requestRollback', () => {
  it('redeploys the last successful commit before the one live now', async () => {
    const rig = createChatRig();
    const shas = await deployWebElsewhere(rig, 'staging', ['success', 'success', 'failure']);
    const reply = createRecordingReplier();
    await rig.requestRollback(rig.target('web', 'staging'), rig.asker(), reply);
    expect(rig.github.calls[0]?.args[1]).toEqual({ environment: 'staging', limit: 30 });
    expect(rig.created().map((d) => d.request)).toEqual([
      expect.objectContaining({
        ref: shas[0],
        environment: 'staging',
        description: `Roll back ${shas[0]} to staging for alice-gh from Slack`,
        payload: expect.objectContaining({ rollback: true }),
      }),
    ]);
    expect(reply.texts()[0]).toContain('created');
  });

  it('asks for confirmation first in a protected environment', async () => {
    const rig = createChatRig();
    const shas = await deployWebElsewhere(rig, 'production', ['success', 'success']);
    const reply = createRecordingReplier();
    await rig.requestRollback(rig.target('web', 'production'), rig.asker(), reply);
    const prompt = reply.replies[0]?.content;
    expect(prompt?.text).toContain('Roll back octo-org/web');
    expect(buttonOf(prompt, 'deploy_confirm')).toBeDefined();
    expect(JSON.stringify(prompt?.blocks)).toContain('This goes back from');
    expect(await rig.store.getConfirmation(buttonOf(prompt, 'deploy_confirm')!)).toMatchObject({
      request: { sha: shas[0], rollback: true },
    });
    expect(rig.created()).toEqual([]);
  });

  it.each([
    [[], 'Nothing has been deployed there successfully, so there is nothing to roll back.'],
    [['success'], 'There is no earlier successful deploy of another commit there to roll back to.'],
  ] as const)('refuses when there is nothing to go back to (%j)', async (states, words) => {
    const rig = createChatRig();
    await deployWebElsewhere(rig, 'staging', states);
    const reply = createRecordingReplier();
    await rig.requestRollback(rig.target('web', 'staging'), rig.asker(), reply);
    expect(reply.texts()).toEqual([words]);
    expect(rig.created()).toEqual([]);
  });

  it('checks who asks like any deploy', async () => {
    const rig = createChatRig();
    await deployWebElsewhere(rig, 'production', ['success', 'success']);
    const reply = createRecordingReplier();
    await rig.requestRollback(rig.target('web', 'production'), rig.asker('U0DAVE'), reply);
    expect(reply.texts()[0]).toContain('You may not deploy to *production*');
  });
});

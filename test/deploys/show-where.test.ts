import { describe, expect, it } from 'vitest';
import { createChatRig, deployWebElsewhere, textOf } from '../support/chat-rig.js';
import { createRecordingReplier } from '../support/memory/memory-chat.js';

describe('showWhere', () => {
  it('shows what runs in each environment: the newest success, else the newest; and live locks', async () => {
    const rig = createChatRig();
    const staging = await deployWebElsewhere(rig, 'staging', ['success', 'success', 'failure']);
    const qa = await deployWebElsewhere(rig, 'qa', ['in_progress']);
    await rig.lockEnvironment(
      { ...rig.target('web', 'production'), reason: 'release freeze', steal: false },
      rig.asker(),
      createRecordingReplier(),
    );
    const reply = createRecordingReplier();
    await rig.showWhere(rig.target('web', 'staging').repo, reply);

    expect(reply.replies.map((r) => r.visibility)).toEqual(['private']);
    const text = textOf(reply.replies[0]?.content);
    expect(text).toContain(
      `:white_check_mark: *staging*: <https://github.com/octo-org/web/commit/${staging[1]}|${staging[1]!.slice(0, 7)}> by dev1`,
    );
    expect(text).toContain(
      `*qa*: <https://github.com/octo-org/web/commit/${qa[0]}|${qa[0]!.slice(0, 7)}> by dev0`,
    );
    expect(text).toContain('*production*: nothing deployed yet');
    expect(text).toContain(':lock: locked by <@U0ALICE> just now: “release freeze”');
    expect(rig.github.calls.filter((c) => c.method === 'listDeployments').map((c) => c.args[1])).toEqual([
      { environment: 'staging', limit: 10 },
      { environment: 'production', limit: 10 },
      { environment: 'qa', limit: 10 },
    ]);
  });

  it('answers GitHub failing in words', async () => {
    const rig = createChatRig();
    rig.github.failNext('listDeployments', 'github_unavailable');
    const reply = createRecordingReplier();
    await rig.showWhere(rig.target('web', 'staging').repo, reply);
    expect(textOf(reply.replies[0]?.content)).toContain(
      '*Not deployed*: *octo-org/web* to *any environment*',
    );
    expect(textOf(reply.replies[0]?.content)).toContain('GitHub is having trouble');
  });
});

import { describe, expect, it } from 'vitest';
import { createChatRig, deployWebElsewhere, textOf } from '../support/chat-rig.js';
import { createRecordingReplier } from '../support/memory/memory-chat.js';

describe('showHistory', () => {
  it('shows the last deployments of an environment with state, who and links', async () => {
    const rig = createChatRig();
    const shas = await deployWebElsewhere(rig, 'staging', ['success', 'success', 'failure']);
    await deployWebElsewhere(rig, 'qa', ['success']);
    const reply = createRecordingReplier();
    await rig.showHistory(rig.target('web', 'stg'), reply);

    const text = textOf(reply.replies[0]?.content);
    expect(text).toContain('The last 3 deployments of *octo-org/web* in *staging*:');
    for (const [i, sha] of shas.entries()) {
      expect(text).toContain(sha.slice(0, 7));
      expect(text).toContain(`dev${i}`);
      expect(text).toContain(`https://ci.example.com/staging/${i}`);
    }
    expect(text).not.toContain('ci.example.com/qa');
    expect(rig.github.calls.filter((c) => c.method === 'listDeployments').map((c) => c.args[1])).toEqual([
      { environment: 'staging', limit: 10 },
    ]);
  });

  it('shows every environment when none is named', async () => {
    const rig = createChatRig();
    await deployWebElsewhere(rig, 'staging', ['success']);
    await deployWebElsewhere(rig, 'qa', ['failure']);
    const reply = createRecordingReplier();
    await rig.showHistory({ repo: rig.target('web', 'stg').repo }, reply);
    expect(reply.replies[0]?.content.text).toMatch(/to qa failure; .* to staging success$/);
    expect(rig.github.calls.filter((c) => c.method === 'listDeployments').map((c) => c.args[1])).toEqual([
      { limit: 10 },
    ]);
  });

  it('says so when there is none, and answers GitHub failing in words', async () => {
    const rig = createChatRig();
    const none = createRecordingReplier();
    await rig.showHistory(rig.target('web', 'qa'), none);
    expect(none.texts()).toEqual(['No deployments of *octo-org/web* in *qa* yet.']);
    rig.github.failNext('listDeployments', 'github_forbidden', { repository: 'octo-org/web' });
    const failed = createRecordingReplier();
    await rig.showHistory(rig.target('web', 'qa'), failed);
    expect(textOf(failed.replies[0]?.content)).toContain('Deployments: read and write');
  });
});

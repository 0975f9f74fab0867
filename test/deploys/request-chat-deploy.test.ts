import { describe, expect, it } from 'vitest';
import { createRequestChatDeploy } from '../../src/deploys/request-chat-deploy.js';
import { buttonOf, createChatRig, lastOf, textOf } from '../support/chat-rig.js';
import { createRecordingReplier } from '../support/memory/memory-chat.js';

const creates = (rig: ReturnType<typeof createChatRig>) =>
  rig.github.calls.filter((c) => c.method === 'createDeployment');

describe('requestChatDeploy', () => {
  it('deploys the default branch, hands the deployment to the deployer and says so', async () => {
    const rig = createChatRig();
    const reply = createRecordingReplier();
    await rig.requestChatDeploy(
      { ...rig.target('web', 'staging'), force: false, rollback: false },
      rig.asker(),
      reply,
    );

    const [created] = rig.created();
    expect(created?.request).toMatchObject({
      ref: 'main',
      environment: 'staging',
      auto_merge: false,
      production_environment: false,
      payload: { deploy_user: 'alice-gh', notify: { adapter: 'slack', channel: 'C0WEB', user: 'U0ALICE' } },
    });
    expect(created?.request).not.toHaveProperty('required_contexts');
    expect(rig.handedOff).toEqual([{ repository: 'octo-org/web', deployment: created }]);
    expect(reply.replies).toHaveLength(1);
    expect(lastOf(reply)).toMatchObject({ visibility: 'private' });
    expect(reply.texts()[0]).toBe(
      `:rocket: Deployment ${created?.id} of *octo-org/web* \`main\` to *staging* created; its progress is announced in <#C0WEB>.`,
    );
    expect(rig.log.lines.map((l) => l.message)).toContain('chat deploy created');
  });

  it('deploys the ref asked for', async () => {
    const rig = createChatRig();
    const sha = rig.github.commit('octo-org/web', 'feature/x');
    await rig.requestChatDeploy(
      { ...rig.target('web', 'stg'), ref: 'feature/x', force: false, rollback: false },
      rig.asker(),
      createRecordingReplier(),
    );
    expect(rig.created().map((d) => [d.request?.ref, d.sha])).toEqual([['feature/x', sha]]);
  });

  it.each([
    ['a slash command, by its handle', { userName: 'bob' }, undefined, 'bob'],
    ['a mention, by the handle Slack has', {}, 'bobby', 'bobby'],
  ])('names an unmapped deployer in %s', async (_name, extra, handle, deployUser) => {
    const rig = createChatRig();
    if (handle) rig.chat.setHandle('U0BOB', handle);
    const { userName: _userName, ...mention } = rig.asker('U0BOB');
    await rig.requestChatDeploy(
      { ...rig.target('web', 'staging'), force: false, rollback: false },
      { ...mention, ...extra },
      createRecordingReplier(),
    );
    expect(rig.created()[0]?.request?.payload).toMatchObject({
      deploy_user: deployUser,
      notify: { user: 'U0BOB' },
    });
  });

  it('announces a deploy asked for in a direct message in the repository channel, and a mention in its thread', async () => {
    const rig = createChatRig();
    const staging = { ...rig.target('web', 'staging'), force: false, rollback: false };
    await rig.requestChatDeploy(
      staging,
      rig.asker('U0ALICE', { channel: 'D0DIRECT' }),
      createRecordingReplier(),
    );
    await rig.requestChatDeploy(
      staging,
      rig.asker('U0ALICE', { channel: 'C0OTHER', threadTs: '1700000001.000100', inThread: true }),
      createRecordingReplier(),
    );
    // A top-level mention: its answers go in its thread, its announcement does not.
    await rig.requestChatDeploy(
      staging,
      rig.asker('U0ALICE', { channel: 'C0OTHER', threadTs: '1700000002.000100' }),
      createRecordingReplier(),
    );
    expect(rig.created().map((d) => (d.payload as { notify: unknown }).notify)).toEqual([
      { adapter: 'slack', channel: 'C0WEB', user: 'U0ALICE' },
      { adapter: 'slack', channel: 'C0OTHER', user: 'U0ALICE', thread_ts: '1700000001.000100' },
      { adapter: 'slack', channel: 'C0OTHER', user: 'U0ALICE' },
    ]);
  });

  it('refuses someone who may not deploy there, saying who may, and asks GitHub nothing', async () => {
    const rig = createChatRig();
    const reply = createRecordingReplier();
    await rig.requestChatDeploy(
      { ...rig.target('web', 'production'), force: false, rollback: false },
      rig.asker('U0DAVE'),
      reply,
    );
    expect(reply.texts()).toEqual([
      'You may not deploy to *production*. Ask <@U0ALICE>, <@U0BOB>, <!subteam^S0DEPLOYERS> or <@U0ADMIN>.',
    ]);
    expect(rig.github.calls).toEqual([]);
  });

  it('lets a member of a deployer user group deploy: they are asked to confirm', async () => {
    const rig = createChatRig();
    rig.chat.setUserGroup('S0DEPLOYERS', ['U0CAROL']);
    const reply = createRecordingReplier();
    await rig.requestChatDeploy(
      { ...rig.target('web', 'production'), force: false, rollback: false },
      rig.asker('U0CAROL'),
      reply,
    );
    expect(buttonOf(lastOf(reply)?.content, 'deploy_confirm')).toBe('id-1');
    expect(creates(rig)).toEqual([]);
  });

  it('refuses to force for someone who is not an admin', async () => {
    const rig = createChatRig();
    const reply = createRecordingReplier();
    await rig.requestChatDeploy(
      { ...rig.target('web', 'production'), force: true, rollback: false },
      rig.asker(),
      reply,
    );
    expect(reply.texts()[0]).toMatch(/^Only admins may force a deploy past failing checks on \*production\*/);
    expect(rig.github.calls).toEqual([]);
  });

  it("refuses a deploy into someone else's lock, naming holder and reason; the holder may", async () => {
    const rig = createChatRig();
    const now = rig.scheduler.now();
    await rig.store.replaceLock(
      {
        repository: 'octo-org/web',
        environment: 'staging',
        holder: 'U0ALICE',
        reason: 'release freeze',
        lockedAt: now,
      },
      undefined,
    );
    const staging = { ...rig.target('web', 'staging'), force: false, rollback: false };
    const bob = createRecordingReplier();
    await rig.requestChatDeploy(staging, rig.asker('U0BOB'), bob);
    expect(bob.texts()).toEqual([
      '*staging* of *octo-org/web* is locked by <@U0ALICE> (just now): “release freeze”. Ask them to unlock it, or ask an admin.',
    ]);
    expect(creates(rig)).toEqual([]);
    await rig.requestChatDeploy(staging, rig.asker(), createRecordingReplier());
    expect(rig.created()).toHaveLength(1);
  });

  it.each([
    [
      'resolveCommit',
      'github_no_such_ref',
      { repository: 'octo-org/web', ref: 'nope' },
      'no branch, tag or commit `nope` in octo-org/web',
    ],
    ['getDefaultBranch', 'github_unavailable', {}, 'GitHub is having trouble'],
    ['getDefaultBranch', 'github_unauthorized', {}, 'GITHUB_TOKEN'],
    ['createDeployment', 'github_merge_conflict', {}, 'merge conflict'],
    ['createDeployment', 'github_auto_merged', {}, '202'],
  ] as const)('answers %s failing with %s in words', async (method, code, details, words) => {
    const rig = createChatRig();
    rig.github.failNext(method, code, details);
    const reply = createRecordingReplier();
    await rig.requestChatDeploy(
      {
        ...rig.target('web', 'staging'),
        ...(method === 'resolveCommit' ? { ref: 'nope' } : {}),
        force: false,
        rollback: false,
      },
      rig.asker(),
      reply,
    );
    expect(textOf(lastOf(reply)?.content)).toContain(words);
    expect(textOf(lastOf(reply)?.content)).toContain('*Not deployed*');
    expect(rig.handedOff).toEqual([]);
  });

  it('lists failing checks, without "Deploy anyway" for someone who may not force', async () => {
    const rig = createChatRig();
    const sha = rig.github.commit('octo-org/web', 'main');
    rig.github.setCheck('octo-org/web', sha, 'ci/build', 'failure');
    const reply = createRecordingReplier();
    await rig.requestChatDeploy(
      { ...rig.target('web', 'staging'), force: false, rollback: false },
      rig.asker(),
      reply,
    );
    expect(textOf(lastOf(reply)?.content)).toContain('`ci/build` failure');
    expect(buttonOf(lastOf(reply)?.content, 'deploy_force')).toBeUndefined();
    expect(rig.log.lines).toContainEqual(
      expect.objectContaining({
        message: 'chat deploy refused',
        fields: expect.objectContaining({ code: 'github_checks_failed' }),
      }),
    );
  });

  describe('"Deploy anyway"', () => {
    const CANARY = `
slack: { channel: C0DEPLOYS }
github: { owner: octo-org }
repos:
  octo-org/web:
    channel: C0WEB
    environments:
      canary: { confirm: false, required_contexts: [ci/build], admins: [U0ADMIN] }
`;
    it('is offered when GitHub checked the commit the deploy resolved', async () => {
      const rig = createChatRig({ config: CANARY });
      rig.github.setCheck('octo-org/web', rig.github.commit('octo-org/web', 'main'), 'ci/build', 'failure');
      const reply = createRecordingReplier();
      const request = { ...rig.target('web', 'canary'), force: false, rollback: false };
      await rig.requestChatDeploy(request, rig.asker('U0ADMIN'), reply);
      expect(buttonOf(lastOf(reply)?.content, 'deploy_force')).toBeDefined();
    });

    it('is not offered when the branch moved while GitHub checked it: nobody saw which commit failed', async () => {
      const rig = createChatRig({ config: CANARY });
      rig.github.setCheck('octo-org/web', rig.github.commit('octo-org/web', 'main'), 'ci/build', 'failure');
      const github = {
        ...rig.github,
        createDeployment: async (request: Parameters<typeof rig.github.createDeployment>[0]) => {
          const moved = rig.github.commit('octo-org/web', 'main');
          rig.github.setCheck('octo-org/web', moved, 'ci/build', 'failure');
          return rig.github.createDeployment(request);
        },
      };
      const reply = createRecordingReplier();
      const request = { ...rig.target('web', 'canary'), force: false, rollback: false };
      await createRequestChatDeploy({ ...rig.deps, github })(request, rig.asker('U0ADMIN'), reply);
      expect(textOf(lastOf(reply)?.content)).toContain('`ci/build` failure');
      expect(buttonOf(lastOf(reply)?.content, 'deploy_force')).toBeUndefined();
    });
  });

  it('asks the deployers for an approval in the channel, and tells the asker', async () => {
    const rig = createChatRig();
    const reply = createRecordingReplier();
    await rig.requestChatDeploy(
      { ...rig.target('web', 'qa'), force: false, rollback: false },
      rig.asker('U0ALICE', { threadTs: '1700000001.000100' }),
      reply,
    );
    const [request] = rig.chat.messages;
    expect(request).toMatchObject({ channel: 'C0WEB', threadTs: '1700000001.000100' });
    expect(request?.content.text).toContain('<@U0ALICE> wants to deploy *octo-org/web* `main`');
    expect(request?.content.text).toContain('It needs an approval from <@U0ALICE>, <@U0BOB>.');
    expect(buttonOf(request?.content, 'deploy_approve')).toBe('id-1');
    expect(reply.texts()).toEqual([
      ':raised_hand: Approval requested in <#C0WEB>; it deploys once approved.',
    ]);
    expect(creates(rig)).toEqual([]);
  });
});

describe('requestChatDeploy into a protected environment', () => {
  async function withHistory() {
    const rig = createChatRig();
    const old = rig.github.commit('octo-org/web', 'main', 'Old release');
    const current = rig.github.addDeployment('octo-org/web', {
      sha: old,
      ref: old,
      environment: 'production',
      task: 'deploy',
      payload: {},
    });
    await rig.github.createDeploymentStatus({
      repository: 'octo-org/web',
      deploymentId: current.id,
      state: 'success',
      description: '',
    });
    const shas = Array.from({ length: 23 }, (_, i) =>
      rig.github.commit(
        'octo-org/web',
        'main',
        `Change number ${i}\n\nDetails`,
        i % 2 ? 'alice-gh' : 'bob-gh',
      ),
    );
    rig.github.calls.length = 0;
    return { rig, old, head: shas.at(-1)! };
  }
  const ask = async (rig: ReturnType<typeof createChatRig>, ref?: string) => {
    const reply = createRecordingReplier();
    await rig.requestChatDeploy(
      { ...rig.target('web', 'production'), ...(ref ? { ref } : {}), force: false, rollback: false },
      rig.asker(),
      reply,
    );
    return lastOf(reply)?.content;
  };

  it('shows what will ship, with Deploy and Cancel, before anything is created', async () => {
    const { rig, old, head } = await withHistory();
    const prompt = await ask(rig);
    const id = buttonOf(prompt, 'deploy_confirm');
    expect(id).toBeDefined();
    expect(buttonOf(prompt, 'deploy_cancel')).toBe(id);
    const text = textOf(prompt);
    expect(text).toContain('23 commits since');
    expect(text).toContain('Change number 0');
    expect(text).toContain('alice-gh');
    expect(text).toContain(`compare/${old}...${head}`);
    expect(text).not.toContain('Change number 22');
    expect(text).toContain('…and 3 more');
    expect(creates(rig)).toEqual([]);
    expect(await rig.store.getConfirmation(id!)).toMatchObject({
      kind: 'deploy',
      userId: 'U0ALICE',
      state: 'open',
      request: { sha: head, ref: 'main', confirmed: false },
      expiresAt: rig.scheduler.now() + 5 * 60_000,
    });
  });

  it('warns when the commit is older than what runs there', async () => {
    const { rig } = await withHistory();
    const first = rig.github.deployments[0]!;
    const newest = rig.github.addDeployment('octo-org/web', {
      sha: rig.github.commit('octo-org/web', 'release'),
      ref: 'release',
      environment: 'production',
      task: 'deploy',
      payload: {},
    });
    await rig.github.createDeploymentStatus({
      repository: 'octo-org/web',
      deploymentId: newest.id,
      state: 'success',
      description: '',
    });
    const text = textOf(await ask(rig, first.sha));
    expect(text).toContain('older than what runs there');
    expect(text).toContain('takes back 24 commits');
  });

  it('still asks, saying so, when GitHub cannot compare the commits', async () => {
    const { rig } = await withHistory();
    rig.github.failNext('compareCommits', 'github_not_found');
    const prompt = await ask(rig);
    expect(buttonOf(prompt, 'deploy_confirm')).toBeDefined();
    expect(textOf(prompt)).toContain('could not list the commits');
    expect(rig.log.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'could not compare commits for a confirmation' }),
    );
  });

  it('says what GitHub answered when it cannot list the deployments', async () => {
    const { rig } = await withHistory();
    rig.github.failNext('listDeployments', 'github_unavailable');
    const prompt = await ask(rig);
    expect(buttonOf(prompt, 'deploy_confirm')).toBeUndefined();
    expect(textOf(prompt)).toContain('GitHub is having trouble');
  });
});

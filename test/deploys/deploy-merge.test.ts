import { describe, expect, it } from 'vitest';
import { createLock } from '../../src/core/lock-policy.js';
import { createMergeDeployRig, WEB_URL } from '../support/merge-deploy-rig.js';

describe('deployMerge', () => {
  it('creates the deployment and hands it to the deployer, saying nothing in chat', async () => {
    const rig = createMergeDeployRig();
    const { sha, request } = rig.merge(42);
    await rig.deployMerge(rig.attempt(request));
    expect(rig.github.deployments).toHaveLength(1);
    expect(rig.github.deployments[0]).toMatchObject({ sha, environment: 'staging', request });
    expect(rig.handedOver).toEqual([{ repository: 'octo-org/web', deployment: rig.github.deployments[0] }]);
    expect(rig.chat.messages).toEqual([]);
    expect(rig.log.messages()).toContain('deployment for merged pull request');
  });

  it('never deploys a merge twice: a retried delivery finds the deployment on GitHub', async () => {
    const rig = createMergeDeployRig();
    const { request } = rig.merge(42);
    await rig.deployMerge(rig.attempt(request));
    await rig.deployMerge(rig.attempt(request));
    expect(rig.github.deployments).toHaveLength(1);
    expect(rig.created()).toHaveLength(1);
    expect(rig.handedOver.map((h) => h.deployment.id)).toEqual([
      rig.github.deployments[0]!.id,
      rig.github.deployments[0]!.id,
    ]);
  });

  it('waits for CI, naming only the checks still to report', async () => {
    const rig = createMergeDeployRig();
    const { sha, request } = rig.merge(42);
    rig.github.setCheck('octo-org/web', sha, 'ci/build', 'pending');
    rig.github.setCheck('octo-org/web', sha, 'ci/test', 'success');
    await rig.deployMerge(rig.attempt(request));
    expect(rig.github.deployments).toEqual([]);
    const [waiting] = rig.chat.inChannel('C0WEB');
    expect(waiting?.content.text).toContain('waiting for CI (ci/build)');
    expect(waiting?.content.text).not.toContain('ci/test');
    expect(await rig.store.listPendingDeploys('octo-org/web', sha)).toEqual([
      {
        id: 'id-1',
        repository: 'octo-org/web',
        sha,
        environment: 'staging',
        request,
        channel: 'C0WEB',
        messageTs: waiting?.ts,
        waitingFor: ['ci/build'],
        createdAt: rig.scheduler.now(),
      },
    ]);
  });

  it('announces failed checks and drops the deploy', async () => {
    const rig = createMergeDeployRig();
    const { sha, request } = rig.merge(42);
    rig.github.setCheck('octo-org/web', sha, 'ci/build', 'failure');
    rig.github.setCheck('octo-org/web', sha, 'ci/lint', 'pending');
    await rig.deployMerge(rig.attempt(request));
    expect(rig.texts()).toEqual([expect.stringContaining('not deployed, checks failed (ci/build)')]);
    expect(await rig.store.listPendingDeploys('octo-org/web', sha)).toEqual([]);
    expect(rig.github.deployments).toEqual([]);
  });

  it.each([
    ['github_forbidden', 'Deployments: read and write'],
    ['github_not_found', 'cannot find'],
    ['github_no_such_ref', 'There is no branch, tag or commit'],
  ] as const)('announces a refusal (%s) at once: retrying would not help', async (code, words) => {
    const rig = createMergeDeployRig();
    const { request } = rig.merge(42);
    rig.github.failNext('createDeployment', code, { repository: 'octo-org/web', ref: request.ref });
    await rig.deployMerge(rig.attempt(request));
    const [refused] = rig.texts();
    expect(refused).toContain('not deployed.');
    expect(refused).toContain(words);
    expect(rig.log.lines.find((l) => l.message === 'merge deploy refused by GitHub')?.fields).toMatchObject({
      code,
    });
  });

  it("adds GitHub's own words to the refusal", async () => {
    const rig = createMergeDeployRig();
    const { request } = rig.merge(42);
    rig.github.failNext('createDeployment', 'github_invalid', { githubMessage: 'No ref found for: abc' });
    await rig.deployMerge(rig.attempt(request));
    expect(rig.texts()[0]).toContain('GitHub said: "No ref found for: abc"');
  });

  it('throws transient GitHub trouble for the delivery to be retried, and announces it on the last try', async () => {
    const rig = createMergeDeployRig();
    const { request } = rig.merge(42);
    rig.github.failNext('findDeployment', 'github_unavailable');
    await expect(rig.deployMerge(rig.attempt(request))).rejects.toMatchObject({ code: 'github_unavailable' });
    expect(rig.chat.messages).toEqual([]);

    rig.github.failNext('createDeployment', 'github_unavailable');
    await rig.deployMerge(rig.attempt(request, { finalAttempt: true }));
    expect(rig.texts()).toEqual([expect.stringContaining('GitHub is having trouble')]);
    expect(rig.github.deployments).toEqual([]);
  });

  it('waits for a locked environment, keeping what it needs to go out later', async () => {
    const rig = createMergeDeployRig();
    const { request } = rig.merge(42);
    const now = rig.scheduler.now();
    await rig.store.replaceLock(
      createLock({ repository: 'octo-org/web', environment: 'staging', holder: 'U0ALICE', now }),
      undefined,
    );
    await rig.deployMerge(rig.attempt(request));
    expect(rig.github.calls).toEqual([]);
    const [waiting] = rig.chat.inChannel('C0WEB');
    expect(waiting?.content.text).toContain('waiting for the environment to be unlocked');
    expect(JSON.stringify(waiting?.content.blocks)).toContain('is locked by <@U0ALICE>');
    expect(await rig.store.listLockWaits('octo-org/web', 'staging')).toEqual([
      {
        id: 'id-1',
        repository: 'octo-org/web',
        environment: 'staging',
        request: { request, repositoryUrl: WEB_URL },
        channel: 'C0WEB',
        messageTs: waiting?.ts,
        createdAt: now,
      },
    ]);
  });

  it('queues behind earlier waits even when the lock has lapsed, unless it is their release', async () => {
    const rig = createMergeDeployRig();
    const first = rig.merge(42);
    const second = rig.merge(43);
    await rig.store.replaceLock(
      createLock({
        repository: 'octo-org/web',
        environment: 'staging',
        holder: 'U0ALICE',
        durationMs: 60_000,
        now: rig.scheduler.now(),
      }),
      undefined,
    );
    await rig.deployMerge(rig.attempt(first.request));
    await rig.scheduler.advance(120_000);
    await rig.deployMerge(rig.attempt(second.request));
    expect(rig.github.deployments).toEqual([]);
    expect(JSON.stringify(rig.chat.messages[1]?.content.blocks)).toContain(
      'Earlier deploys wait for the lock to be released.',
    );
    expect(await rig.store.listLockWaits('octo-org/web', 'staging')).toHaveLength(2);

    await rig.deployMerge(rig.attempt(first.request, { releasing: true }));
    expect(rig.github.deployments.map((d) => d.sha)).toEqual([first.sha]);
  });

  it('moves a deploy waiting for CI to the lock queue when the environment got locked meanwhile', async () => {
    const rig = createMergeDeployRig();
    const { sha, request } = rig.merge(42);
    rig.github.setCheck('octo-org/web', sha, 'ci/build', 'pending');
    await rig.deployMerge(rig.attempt(request));
    const [pending] = await rig.store.listPendingDeploys('octo-org/web', sha);
    await rig.store.replaceLock(
      createLock({ repository: 'octo-org/web', environment: 'staging', holder: 'U0ALICE', now: 0 }),
      undefined,
    );
    await rig.deployMerge(rig.attempt(request, { pending: pending! }));
    expect(await rig.store.listPendingDeploys('octo-org/web', sha)).toEqual([]);
    expect(await rig.store.listLockWaits('octo-org/web', 'staging')).toHaveLength(1);
  });

  it('never throws once the deployment exists: the deployer or chat failing is only logged', async () => {
    const rig = createMergeDeployRig();
    const { sha, request } = rig.merge(42);
    rig.github.setCheck('octo-org/web', sha, 'ci/build', 'pending');
    await rig.deployMerge(rig.attempt(request));
    const [pending] = await rig.store.listPendingDeploys('octo-org/web', sha);
    rig.github.setCheck('octo-org/web', sha, 'ci/build', 'success');
    rig.chat.refuseChannel('C0WEB', 'slack_unavailable');
    await rig.deployMerge(rig.attempt(request, { pending: pending! }));
    expect(rig.github.deployments).toHaveLength(1);
    expect(rig.log.lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      'deployment created, but telling the deployer or Slack failed',
    ]);
  });
});

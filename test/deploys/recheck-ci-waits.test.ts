import { describe, expect, it } from 'vitest';
import { createRecheckCiWaits } from '../../src/deploys/recheck-ci-waits.js';
import { createMergeDeployRig, WEB_URL } from '../support/merge-deploy-rig.js';

describe('recheckCiWaits', () => {
  async function waitingForCi() {
    const rig = createMergeDeployRig();
    const recheck = createRecheckCiWaits({ store: rig.store, deployMerge: rig.deployMerge });
    const { sha, request } = rig.merge(42);
    rig.github.setCheck('octo-org/web', sha, 'ci/build', 'pending');
    rig.github.setCheck('octo-org/web', sha, 'ci/test', 'pending');
    await rig.deployMerge(rig.attempt(request));
    const checkReported = (repository = 'octo-org/web') =>
      recheck({ repository, repositoryUrl: WEB_URL, sha, finalAttempt: false, log: rig.log });
    return { rig, sha, checkReported };
  }

  it('deploys once CI passes and says so in the waiting message', async () => {
    const { rig, sha, checkReported } = await waitingForCi();
    rig.github.setCheck('octo-org/web', sha, 'ci/build', 'success');
    rig.github.setCheck('octo-org/web', sha, 'ci/test', 'success');
    // The repository as a status event may spell it.
    await checkReported('Octo-Org/Web');
    expect(rig.github.deployments.map((d) => d.sha)).toEqual([sha]);
    expect(rig.handedOver).toHaveLength(1);
    const [message, ...others] = rig.chat.inChannel('C0WEB');
    expect(others).toEqual([]);
    expect(message?.content.text).toContain(
      `checks passed, deployment ${rig.github.deployments[0]!.id} created`,
    );
    expect(await rig.store.listPendingDeploys('octo-org/web', sha)).toEqual([]);

    // A later status for the same commit finds nothing waiting.
    await checkReported();
    expect(rig.github.deployments).toHaveLength(1);
  });

  it('keeps waiting, and updates the message only when the list of checks changes', async () => {
    const { rig, sha, checkReported } = await waitingForCi();
    await checkReported();
    expect(rig.chat.messages[0]?.history).toEqual([]);
    rig.github.setCheck('octo-org/web', sha, 'ci/test', 'success');
    await checkReported();
    const [message] = rig.chat.inChannel('C0WEB');
    expect(message?.history).toHaveLength(1);
    expect(message?.content.text).toContain('waiting for CI (ci/build)');
    expect((await rig.store.listPendingDeploys('octo-org/web', sha)).map((p) => p.waitingFor)).toEqual([
      ['ci/build'],
    ]);
    expect(rig.github.deployments).toEqual([]);
  });

  it('drops the deploy when a check fails: CI passing later does not deploy it', async () => {
    const { rig, sha, checkReported } = await waitingForCi();
    rig.github.setCheck('octo-org/web', sha, 'ci/build', 'failure');
    await checkReported();
    expect(rig.texts()).toEqual([expect.stringContaining('not deployed, checks failed (ci/build)')]);
    rig.github.setCheck('octo-org/web', sha, 'ci/build', 'success');
    rig.github.setCheck('octo-org/web', sha, 'ci/test', 'success');
    await checkReported();
    expect(rig.github.deployments).toEqual([]);
  });

  it('settles the waiting message with the refusal when GitHub refuses for good', async () => {
    const { rig, checkReported } = await waitingForCi();
    rig.github.failNext('createDeployment', 'github_forbidden', { repository: 'octo-org/web' });
    await checkReported();
    expect(rig.texts()).toEqual([expect.stringContaining('GitHub denied access (403) to octo-org/web')]);
    expect(rig.chat.inChannel('C0WEB')[0]?.history).toHaveLength(1);
  });

  it('throws transient trouble and keeps the wait, for the delivery to be retried', async () => {
    const { rig, sha, checkReported } = await waitingForCi();
    rig.github.failNext('findDeployment', 'github_rate_limited');
    await expect(checkReported()).rejects.toMatchObject({ code: 'github_rate_limited' });
    expect(await rig.store.listPendingDeploys('octo-org/web', sha)).toHaveLength(1);
  });

  it('drops a wait superseded by a later merge whose deployment went out first, and says by which', async () => {
    const { rig, sha, checkReported } = await waitingForCi();
    await rig.scheduler.advance(60_000);
    const later = rig.merge(43);
    await rig.deployMerge(rig.attempt(later.request));
    expect(rig.github.deployments.map((d) => d.sha)).toEqual([later.sha]);

    rig.github.setCheck('octo-org/web', sha, 'ci/build', 'success');
    rig.github.setCheck('octo-org/web', sha, 'ci/test', 'success');
    await checkReported();
    expect(rig.github.deployments.map((d) => d.sha)).toEqual([later.sha]);
    expect(rig.texts()[0]).toContain('not deployed, superseded by #43');
    expect(await rig.store.listPendingDeploys('octo-org/web', sha)).toEqual([]);
  });

  it('still deploys when what went out meanwhile was no merge, or came before the wait', async () => {
    const { rig, sha, checkReported } = await waitingForCi();
    await rig.scheduler.advance(60_000);
    const other = rig.github.commit('octo-org/web', 'hotfix');
    rig.github.addDeployment('octo-org/web', {
      sha: other,
      ref: 'hotfix',
      environment: 'staging',
      task: 'deploy',
      payload: { deploy_user: 'alice', notify: { adapter: 'slack', channel: 'C0WEB', user: 'U0ALICE' } },
    });
    rig.github.setCheck('octo-org/web', sha, 'ci/build', 'success');
    rig.github.setCheck('octo-org/web', sha, 'ci/test', 'success');
    await checkReported();
    expect(rig.github.deployments.map((d) => d.sha)).toEqual([other, sha]);
    expect(rig.texts()[0]).toContain('checks passed');
  });
});

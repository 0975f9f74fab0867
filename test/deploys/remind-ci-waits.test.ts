import { describe, expect, it } from 'vitest';
import { createDeployMerge } from '../../src/deploys/deploy-merge.js';
import { createRecheckCiWaits } from '../../src/deploys/recheck-ci-waits.js';
import { createRemindCiWaits } from '../../src/deploys/remind-ci-waits.js';
import { createMergeDeployRig, WEB_URL } from '../support/merge-deploy-rig.js';

const MINUTE = 60_000;

describe('the CI-wait reminder', () => {
  async function waitingForCi() {
    const rig = createMergeDeployRig();
    const reminders = createRemindCiWaits({
      store: rig.store,
      chat: rig.chat,
      scheduler: rig.scheduler,
      log: rig.log,
    });
    const deployMerge = createDeployMerge({
      config: rig.config,
      github: rig.github,
      chat: rig.chat,
      store: rig.store,
      clock: rig.scheduler,
      newId: () => `wait-${rig.scheduler.now()}`,
      onDeploymentCreated: async () => {},
      onWaitingForChecks: reminders.watch,
    });
    const { sha, request } = rig.merge(42);
    rig.github.setCheck('octo-org/web', sha, 'ci/build', 'pending');
    rig.github.setCheck('octo-org/web', sha, 'ci/test', 'pending');
    await deployMerge(rig.attempt(request));
    const recheck = createRecheckCiWaits({ store: rig.store, deployMerge });
    const checkReported = () =>
      recheck({ repository: 'octo-org/web', repositoryUrl: WEB_URL, sha, finalAttempt: false, log: rig.log });
    const [message] = rig.chat.inChannel('C0WEB');
    const thread = () => rig.chat.thread('C0WEB', message!.ts).map((m) => m.content.text);
    return { rig, sha, reminders, checkReported, thread };
  }

  it('reminds once in the waiting message’s thread after an hour, naming the checks still pending', async () => {
    const { rig, sha, checkReported, thread } = await waitingForCi();
    await rig.scheduler.advance(30 * MINUTE);
    rig.github.setCheck('octo-org/web', sha, 'ci/test', 'success');
    await checkReported();
    await rig.scheduler.advance(29 * MINUTE);
    expect(thread()).toEqual([]);
    await rig.scheduler.advance(MINUTE);
    expect(thread()).toEqual([':hourglass: Still waiting for CI after 1h: `ci/build` has not reported.']);
    await rig.scheduler.advance(5 * 60 * MINUTE);
    expect(thread()).toHaveLength(1);
    expect(rig.scheduler.pendingSleeps()).toBe(0);
  });

  it('says nothing when CI finished within the hour', async () => {
    const { rig, sha, checkReported, thread } = await waitingForCi();
    rig.github.setCheck('octo-org/web', sha, 'ci/build', 'success');
    rig.github.setCheck('octo-org/web', sha, 'ci/test', 'success');
    await checkReported();
    await rig.scheduler.advance(2 * 60 * MINUTE);
    expect(thread()).toEqual([]);
  });

  it('stops its timers when told to', async () => {
    const { rig, reminders, thread } = await waitingForCi();
    reminders.stop();
    await rig.scheduler.advance(2 * 60 * MINUTE);
    expect(thread()).toEqual([]);
  });
});

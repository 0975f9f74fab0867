import { describe, expect, it } from 'vitest';
import type { IncomingDeployment } from '../../src/core/deploy-intake.js';
import type { DeploymentState } from '../../src/core/deployment-state.js';
import { createAnnounceDeploymentStatus } from '../../src/deploys/announce-deployment-status.js';
import { createHandleReconciledDeployment } from '../../src/deploys/handle-reconciled-deployment.js';
import { createReconcileCiWaits } from '../../src/deploys/reconcile-ci-waits.js';
import {
  createReconcileWithGitHub,
  RECONCILED_DEPLOYMENT_EVENT,
} from '../../src/deploys/reconcile-with-github.js';
import { createLogger } from '../../src/logger.js';
import { createReconciledDeploymentHandler } from '../../src/webhooks/handlers/reconciled-deployment.js';
import { createMemoryIdentity } from '../support/memory/memory-identity.js';
import { createMergeDeployRig, WEB_URL } from '../support/merge-deploy-rig.js';

const HOUR = 60 * 60 * 1000;

function createRig(graceMs = 0) {
  const rig = createMergeDeployRig();
  const arrived: IncomingDeployment[] = [];
  const announce = createAnnounceDeploymentStatus({
    config: rig.config,
    chat: rig.chat,
    store: rig.store,
    clock: rig.scheduler,
    identity: createMemoryIdentity('deploybot'),
  });
  const reconcile = createReconcileWithGitHub({
    config: rig.config,
    github: rig.github,
    store: rig.store,
    clock: rig.scheduler,
    graceMs,
    onRecorded: () => {
      nudged += 1;
    },
    reconcileCiWaits: createReconcileCiWaits({
      store: rig.store,
      deployMerge: rig.deployMerge,
      chat: rig.chat,
      clock: rig.scheduler,
      repositoryUrl: () => WEB_URL,
      log: rig.log,
    }),
    log: rig.log,
  });
  const handle = createReconciledDeploymentHandler(
    createHandleReconciledDeployment({
      store: rig.store,
      repositoryUrl: () => WEB_URL,
      deploymentArrived: async (deployment) => {
        arrived.push(deployment);
      },
      announceDeploymentStatus: announce,
    }),
  );
  let nudged = 0;
  /** Reconciles, then works through what it stored as the inbox would: each repository in turn. */
  async function run() {
    await reconcile(new AbortController().signal);
    for (;;) {
      const claimed = await rig.store.claimDeliveries('inbox', rig.scheduler.now(), 60_000, 100);
      if (claimed.length === 0) return;
      for (const delivery of claimed) {
        expect(delivery.event).toBe(RECONCILED_DEPLOYMENT_EVENT);
        await handle(delivery.payload, { finalAttempt: false, log: createLogger({ level: 'silent' }) });
        await rig.store.markDeliveryDone(delivery.deliveryId, rig.scheduler.now());
      }
    }
  }
  /** A deployment someone made on GitHub while deploybot heard nothing of it. */
  function deploy(environment = 'staging', creator = 'deploybot') {
    const sha = rig.github.commit('octo-org/web', 'main');
    return rig.github.addDeployment('octo-org/web', {
      sha,
      ref: 'main',
      environment,
      task: 'deploy',
      payload: { deploy_user: 'alice', notify: { channel: 'C0WEB' } },
      creator,
    });
  }
  async function post(deploymentId: number, state: DeploymentState) {
    await rig.github.createDeploymentStatus({
      repository: 'octo-org/web',
      deploymentId,
      state,
      description: `now ${state}`,
    });
  }
  const calls = (method: string) => rig.github.calls.filter((c) => c.method === method).length;
  return { ...rig, arrived, run, reconcile, deploy, post, calls, nudges: () => nudged };
}

describe('reconcileWithGitHub', () => {
  it('takes in a deployment deploybot has no job for, through the deployment webhook’s way in', async () => {
    const rig = createRig();
    const missed = rig.deploy('staging');
    await rig.run();
    expect(rig.arrived).toEqual([
      expect.objectContaining({
        repository: 'octo-org/web',
        id: missed.id,
        sha: missed.sha,
        environment: 'staging',
        creator: 'deploybot',
        createdAt: missed.createdAt,
        payload: missed.payload,
      }),
    ]);
  });

  it('leaves out deployments older than a day, and those another system already finished', async () => {
    const rig = createRig();
    rig.deploy('staging');
    await rig.scheduler.advance(25 * HOUR);
    const done = rig.deploy('staging');
    await rig.post(done.id, 'success');
    await rig.run();
    expect(rig.arrived).toEqual([]);
    // The finished one is still announced: its status was missed too.
    expect(rig.texts()).toEqual([expect.stringContaining('success')]);
  });

  it('announces the latest status of each deployment once, however often it runs', async () => {
    const rig = createRig();
    const first = rig.deploy('staging');
    const second = rig.deploy('production');
    await rig.post(first.id, 'in_progress');
    await rig.post(second.id, 'failure');
    await rig.run();
    await rig.run();
    expect(rig.texts()).toHaveLength(2);
    expect(rig.texts().join('\n')).toContain('in_progress');
    expect(rig.texts().join('\n')).toContain('failure');
    await rig.post(first.id, 'success');
    await rig.run();
    await rig.run();
    // The same message moves forward, and the new status gets its line in the thread once.
    expect(rig.chat.inChannel('C0WEB')).toHaveLength(2);
    const [message] = rig.chat.inChannel('C0WEB');
    expect(message?.content.text).toContain('success');
    expect(rig.chat.thread('C0WEB', message?.ts ?? '').map((m) => m.content.text)).toEqual([
      expect.stringContaining('success'),
    ]);
  });

  it('hands what it finds to the inbox once: a second look at the same statuses stores nothing', async () => {
    const rig = createRig();
    const missed = rig.deploy('staging', 'octocat');
    await rig.post(missed.id, 'in_progress');
    await reconcileOnly(rig);
    expect(await rig.store.countDeliveries()).toBe(1);
    expect(rig.nudges()).toBe(1);
    await reconcileOnly(rig);
    expect(await rig.store.countDeliveries()).toBe(1);
    expect(rig.nudges()).toBe(1);
    // A new status is a new delivery.
    await rig.post(missed.id, 'success');
    await reconcileOnly(rig);
    expect(await rig.store.countDeliveries()).toBe(2);
  });

  it('leaves what GitHub did within the grace period to its webhooks, and takes it up after', async () => {
    const rig = createRig(60_000);
    const recent = rig.deploy('staging', 'octocat');
    await rig.run();
    expect(rig.arrived).toEqual([]);
    await rig.scheduler.advance(61_000);
    await rig.post(recent.id, 'in_progress');
    await rig.run();
    // The deployment is old enough now, but its status was just posted: its webhooks may be on their way.
    expect(rig.arrived).toEqual([]);
    expect(rig.chat.inChannel('C0WEB')).toEqual([]);
    await rig.scheduler.advance(61_000);
    await rig.run();
    expect(rig.arrived.map((d) => d.id)).toEqual([recent.id]);
    expect(rig.chat.inChannel('C0WEB')).toHaveLength(1);
  });

  it('asks GitHub for statuses only of deployments not yet settled in the store', async () => {
    const rig = createRig();
    for (let i = 0; i < 5; i++) await rig.post(rig.deploy('staging').id, 'success');
    await rig.run();
    expect(rig.calls('listRecentDeployments')).toBe(2); // one per environment
    expect(rig.calls('getLatestDeploymentStatus')).toBe(5);
    await rig.run();
    expect(rig.calls('listRecentDeployments')).toBe(4);
    // All five were announced final: none is asked about again.
    expect(rig.calls('getLatestDeploymentStatus')).toBe(5);
  });

  it('goes on with the other environments when GitHub fails one', async () => {
    const rig = createRig();
    const production = rig.deploy('production');
    await rig.post(production.id, 'queued');
    rig.github.failNext('listRecentDeployments', 'github_unavailable');
    await rig.run();
    expect(rig.texts()).toEqual([expect.stringContaining('queued')]);
    expect(rig.log.messages('warn')).toContain(
      'could not list deployments to reconcile; the next reconciliation tries again',
    );
  });

  it('sends a merge waiting for CI whose status event was missed, once its checks pass', async () => {
    const rig = createRig();
    const { sha, request } = rig.merge(42, 'release');
    await rig.deployMerge(rig.attempt(request));
    expect(rig.texts()).toEqual([expect.stringContaining('waiting for CI')]);
    await rig.run();
    expect(rig.created()).toHaveLength(2);
    expect(rig.handedOver).toEqual([]);
    rig.github.setCheck('octo-org/web', sha, 'ci/build', 'success');
    await rig.run();
    expect(rig.handedOver).toEqual([expect.objectContaining({ repository: 'octo-org/web' })]);
    expect(rig.texts()).toEqual([expect.stringContaining('checks passed')]);
    expect(await rig.store.listAllPendingDeploys(10)).toEqual([]);
  });

  it('drops a wait for CI older than a day, saying so in its message and its thread', async () => {
    const rig = createRig();
    const { request } = rig.merge(42, 'release');
    await rig.deployMerge(rig.attempt(request));
    await rig.scheduler.advance(23 * HOUR);
    await rig.run();
    expect(await rig.store.listAllPendingDeploys(10)).toHaveLength(1);
    await rig.scheduler.advance(2 * HOUR);
    const before = rig.created().length;
    await rig.run();
    expect(rig.created()).toHaveLength(before);
    expect(await rig.store.listAllPendingDeploys(10)).toEqual([]);
    const [message] = rig.chat.inChannel('C0WEB');
    expect(message?.content.text).toContain('not deployed, checks did not pass within 24 hours');
    expect(rig.chat.thread('C0WEB', message?.ts ?? '').map((m) => m.content.text)).toEqual([
      expect.stringContaining('checks did not pass within 24 hours'),
    ]);
  });
});

/** Reconciliation alone, its deliveries left for an inbox. */
function reconcileOnly(rig: ReturnType<typeof createRig>) {
  return rig.reconcile(new AbortController().signal);
}

import { describe, expect, it } from 'vitest';
import type { DeployJob, NewDeployJob } from '../../src/core/ports/deploy-job-store.js';
import { createRecoverDeployJobs } from '../../src/deploys/recover-deploy-jobs.js';
import { createFlowRig, FLOW_REPO } from '../support/deployer/deploy-flows.js';
import { failNextCalls } from '../support/deployer/store-faults.js';
import { createManualScheduler } from '../support/manual-scheduler.js';
import { createMemoryLog } from '../support/memory/memory-log.js';
import { createMemoryStore } from '../support/memory/memory-store.js';

const job = (deploymentId: number, environment = 'production'): NewDeployJob => ({
  deploymentId,
  repository: FLOW_REPO,
  environment,
  lane: `${FLOW_REPO}:${environment}`,
  ref: 'main',
  sha: 'a'.repeat(40),
  task: 'deploy',
  creator: 'octocat',
  payload: {},
  logToken: `token-${deploymentId}`,
  enqueuedAt: deploymentId,
});

/** A job a process that died left running, with its pid and working copy recorded. */
async function leaveRunning(store: ReturnType<typeof createMemoryStore>, id: number, environment?: string) {
  await store.recordDeployJob(job(id, environment));
  await store.claimDeployJob(id, job(id, environment).lane, 'a-process-that-died', 2);
  await store.recordDeployJobPid(id, 4242);
  await store.recordDeployJobWorkDir(id, `/tmp/deploybot-${id}-x`);
  return (await store.getDeployJob(id)) as DeployJob;
}

function setUp(wrap: (store: ReturnType<typeof createMemoryStore>) => ReturnType<typeof createMemoryStore>) {
  const store = createMemoryStore();
  const cleared: DeployJob[] = [];
  const settled: number[] = [];
  const log = createMemoryLog();
  const recovery = createRecoverDeployJobs({
    jobs: wrap(store),
    leftovers: {
      clear: async (left) => {
        cleared.push(left);
      },
    },
    clock: createManualScheduler(5_000),
    log,
    settle: async (id) => {
      settled.push(id);
    },
  });
  return { store, recovery, cleared, settled, log };
}

describe('recovering deploy jobs a previous process left running', () => {
  it('clears what they left and finishes them in error, their logs saying so; their statuses stay owed', async () => {
    const { store, recovery, cleared, settled, log } = setUp((s) => s);
    const left = [await leaveRunning(store, 7), await leaveRunning(store, 8, 'staging')];
    await recovery.recover(left);
    expect(cleared.map((j) => [j.deploymentId, j.pid, j.workDir])).toEqual([
      [7, 4242, '/tmp/deploybot-7-x'],
      [8, 4242, '/tmp/deploybot-8-x'],
    ]);
    for (const id of [7, 8]) {
      expect(await store.getDeployJob(id)).toMatchObject({
        state: 'finished',
        finishedAt: 5_000,
        finalStatus: 'owed',
        outcome: { state: 'error', description: 'deploybot restarted during the deploy' },
      });
      expect((await store.readDeployLog(id, 0, 10)).map((c) => c.text)).toEqual([
        '[deploybot] error: deploybot restarted during the deploy\n',
      ]);
    }
    // Whoever starts the deployer settles everything owed at once.
    expect(settled).toEqual([]);
    expect(log.messages('warn')).toEqual([
      'deploy interrupted by a restart; reporting error',
      'deploy interrupted by a restart; reporting error',
    ]);
  });

  it('tries a job the store failed for again at the next sweep, and then posts its status', async () => {
    const { store, recovery, settled, log } = setUp((s) => failNextCalls(s, 'finishDeployJob', 1));
    const left = await leaveRunning(store, 7);
    await recovery.recover([left]);
    expect(await store.getDeployJob(7)).toMatchObject({ state: 'running' });
    expect(log.messages('error')).toEqual(['could not end an interrupted deploy']);

    await recovery.retryFailed();
    expect(await store.getDeployJob(7)).toMatchObject({ state: 'finished', finalStatus: 'owed' });
    expect(settled).toEqual([7]);
    // Done: nothing is left to try again.
    await recovery.retryFailed();
    expect(settled).toEqual([7]);
  });

  it('forgets a failed job that something else ended meanwhile', async () => {
    const { store, recovery, settled } = setUp((s) => failNextCalls(s, 'finishDeployJob', 1));
    const left = await leaveRunning(store, 7);
    await recovery.recover([left]);
    await store.finishDeployJob(7, 'running', { state: 'error', description: 'elsewhere' }, 6_000);
    await recovery.retryFailed();
    expect(settled).toEqual([]);
    expect(await store.getDeployJob(7)).toMatchObject({ outcome: { description: 'elsewhere' } });
  });

  it('at start, through the deployer: error for the interrupted deploy, and its environment is free', async () => {
    const rig = createFlowRig();
    const interrupted = rig.github.addDeployment(FLOW_REPO, {
      sha: 'a'.repeat(40),
      ref: 'main',
      environment: 'production',
      task: 'deploy',
      payload: {},
      creator: 'octocat',
    });
    await leaveRunning(rig.store, interrupted.id);
    await rig.deployer.start();
    await rig.settle();
    expect(rig.cleared).toEqual([interrupted.id]);
    expect(rig.lastStatus(interrupted.id)).toEqual({
      state: 'error',
      description: 'deploybot restarted during the deploy',
    });
    const { id: next } = await rig.deploy('production');
    await rig.settle();
    expect(rig.provider.began).toEqual([next]);
    await rig.deployer.stop();
  });

  it('through the deployer: the sweep ends one the store failed for at start, and frees its lane', async () => {
    const rig = createFlowRig({ wrapStore: (store) => failNextCalls(store, 'finishDeployJob', 1) });
    const interrupted = rig.github.addDeployment(FLOW_REPO, {
      sha: 'a'.repeat(40),
      ref: 'main',
      environment: 'production',
      task: 'deploy',
      payload: {},
      creator: 'octocat',
    });
    await leaveRunning(rig.store, interrupted.id);
    await rig.deployer.start();
    const { id: next } = await rig.deploy('production');
    await rig.settle();
    expect(rig.states(interrupted.id)).toEqual([]);
    expect(rig.lastStatus(next)).toEqual({
      state: 'queued',
      description: `waiting for deployment ${interrupted.id} to finish`,
    });
    await rig.scheduler.advance(30_000);
    expect(rig.lastStatus(interrupted.id)).toEqual({
      state: 'error',
      description: 'deploybot restarted during the deploy',
    });
    expect(rig.provider.began).toEqual([next]);
    await rig.deployer.stop();
  });
});

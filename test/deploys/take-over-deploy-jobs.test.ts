import { describe, expect, it } from 'vitest';
import type { DeployJob, NewDeployJob } from '../../src/core/ports/deploy-job-store.js';
import type { RunnerLiveness } from '../../src/core/ports/runner-liveness.js';
import { createTakeOverDeployJobs } from '../../src/deploys/take-over-deploy-jobs.js';
import { failNextCalls } from '../support/deployer/store-faults.js';
import { createManualScheduler } from '../support/manual-scheduler.js';
import { createMemoryLog } from '../support/memory/memory-log.js';
import { createMemoryStore } from '../support/memory/memory-store.js';

const REPO = 'octo-org/web';
const ME = 'host-b:200:me';
const STOPPED = 'the deploybot process running it stopped';

const job = (deploymentId: number, environment = 'production'): NewDeployJob => ({
  deploymentId,
  repository: REPO,
  environment,
  lane: `${REPO}:${environment}`,
  ref: 'main',
  sha: 'a'.repeat(40),
  task: 'deploy',
  creator: 'octocat',
  payload: {},
  logToken: `token-${deploymentId}`,
  enqueuedAt: deploymentId,
});

type Store = ReturnType<typeof createMemoryStore>;

/** A job `runner` claimed at 1_000 with a lease until 21_000, its pid and working copy recorded. */
async function running(store: Store, id: number, runner: string, environment?: string) {
  await store.recordDeployJob(job(id, environment));
  await store.claimDeployJob(id, job(id, environment).lane, runner, 1_000, 20_000);
  await store.recordDeployJobPid(id, 4242);
  await store.recordDeployJobWorkDir(id, `/tmp/deploybot-${id}-x`);
  return (await store.getDeployJob(id)) as DeployJob;
}

function setUp(
  options: {
    wrap?: (store: Store) => Store;
    liveness?: Partial<RunnerLiveness>;
    runningHere?: number[];
  } = {},
) {
  const store = createMemoryStore();
  const clock = createManualScheduler(1_000);
  const cleared: DeployJob[] = [];
  const settled: number[] = [];
  const log = createMemoryLog();
  const takeOver = createTakeOverDeployJobs({
    jobs: (options.wrap ?? ((s) => s))(store),
    leftovers: {
      clear: async (left) => {
        cleared.push(left);
      },
    },
    liveness: {
      isOnThisHost: (runner) => runner.startsWith('host-b:'),
      isGone: () => false,
      ...options.liveness,
    },
    clock,
    log,
    runnerId: ME,
    leaseTtlMs: 20_000,
    isRunningHere: (id) => options.runningHere?.includes(id) ?? false,
    settle: async (id) => {
      settled.push(id);
    },
  });
  return { store, clock, takeOver, cleared, settled, log };
}

describe('taking over the deploys of a process that stopped', () => {
  it('never touches a job whose lease another process holds', async () => {
    const { store, clock, takeOver, cleared, settled } = setUp();
    await running(store, 7, 'host-b:100:other');
    await clock.advance(19_999);
    await takeOver();
    expect(await store.getDeployJob(7)).toMatchObject({ state: 'running', runner: 'host-b:100:other' });
    expect(cleared).toEqual([]);
    expect(settled).toEqual([]);
  });

  it('ends one whose lease lapsed in error, clears what it left on this host, and owes its status', async () => {
    const { store, clock, takeOver, cleared, settled, log } = setUp();
    await running(store, 7, 'host-b:100:other');
    await running(store, 8, 'host-b:100:other', 'staging');
    await clock.advance(20_000);
    await takeOver();
    expect(cleared.map((j) => [j.deploymentId, j.pid, j.workDir])).toEqual([
      [7, 4242, '/tmp/deploybot-7-x'],
      [8, 4242, '/tmp/deploybot-8-x'],
    ]);
    for (const id of [7, 8]) {
      expect(await store.getDeployJob(id)).toMatchObject({
        state: 'finished',
        runner: ME,
        finishedAt: 21_000,
        finalStatus: 'owed',
        outcome: { state: 'error', description: STOPPED },
      });
      expect((await store.readDeployLog(id, 0, 10)).map((c) => c.text)).toEqual([
        `[deploybot] error: ${STOPPED}\n`,
      ]);
    }
    expect(settled).toEqual([7, 8]);
    expect(log.messages('warn')).toEqual([
      'the process running the deploy stopped; reporting error',
      'the process running the deploy stopped; reporting error',
    ]);
  });

  it('kills nothing of a runner on another host, yet ends its job', async () => {
    const { store, clock, takeOver, cleared } = setUp();
    await running(store, 7, 'host-a:100:other');
    await clock.advance(20_000);
    await takeOver();
    expect(cleared).toEqual([]);
    expect(await store.getDeployJob(7)).toMatchObject({
      state: 'finished',
      outcome: { description: STOPPED },
    });
  });

  it('ends at once a job whose runner on this host is gone, its lease not lapsed yet', async () => {
    const { store, takeOver, cleared } = setUp({ liveness: { isGone: (r) => r === 'host-b:100:dead' } });
    await running(store, 7, 'host-b:100:dead');
    await running(store, 8, 'host-b:101:alive', 'staging');
    await takeOver();
    expect(cleared.map((j) => j.deploymentId)).toEqual([7]);
    expect(await store.getDeployJob(7)).toMatchObject({ state: 'finished' });
    expect(await store.getDeployJob(8)).toMatchObject({ state: 'running' });
  });

  it('leaves its own running jobs alone, and ends one of its own it no longer runs', async () => {
    const { store, clock, takeOver } = setUp({ runningHere: [7] });
    await running(store, 7, ME);
    await running(store, 8, ME, 'staging');
    await clock.advance(60_000);
    await takeOver();
    expect(await store.getDeployJob(7)).toMatchObject({ state: 'running' });
    expect(await store.getDeployJob(8)).toMatchObject({
      state: 'finished',
      outcome: { description: STOPPED },
    });
  });

  it('loses a race for a job to another process without ending it twice', async () => {
    const { store, clock, takeOver, cleared } = setUp({
      wrap: (s) => ({
        ...s,
        // Another process takes it over between our read and our write.
        takeOverDeployJob: async (id, held, _runner, now, ttl) => {
          await s.takeOverDeployJob(id, held, 'host-c:300:quicker', now, ttl);
          return s.takeOverDeployJob(id, held, ME, now, ttl);
        },
      }),
    });
    await running(store, 7, 'host-b:100:other');
    await clock.advance(20_000);
    await takeOver();
    expect(cleared).toEqual([]);
    expect(await store.getDeployJob(7)).toMatchObject({ state: 'running', runner: 'host-c:300:quicker' });
  });

  it('throws when the store fails, and the next look ends the job it took', async () => {
    const { store, clock, takeOver, settled } = setUp({
      wrap: (s) => failNextCalls(s, 'finishDeployJob', 1),
    });
    await running(store, 7, 'host-b:100:other');
    await clock.advance(20_000);
    await expect(takeOver()).rejects.toThrow('the store is down');
    expect(await store.getDeployJob(7)).toMatchObject({ state: 'running', runner: ME });
    await takeOver();
    expect(await store.getDeployJob(7)).toMatchObject({ state: 'finished', finalStatus: 'owed' });
    expect(settled).toEqual([7]);
  });
});

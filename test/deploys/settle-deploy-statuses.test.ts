import { describe, expect, it } from 'vitest';
import { DeploybotError, type ErrorCode } from '../../src/core/errors.js';
import { createKeyedQueue } from '../../src/core/keyed-queue.js';
import type { DeploymentStatusRequest, GitHubPort } from '../../src/core/ports/github.js';
import { createSettleDeployStatuses } from '../../src/deploys/settle-deploy-statuses.js';
import { FLOW_REPO, PUBLIC_URL } from '../support/deployer/deploy-flows.js';
import { failNextCalls } from '../support/deployer/store-faults.js';
import { createManualScheduler } from '../support/manual-scheduler.js';
import { createMemoryGitHub } from '../support/memory/memory-github.js';
import { createMemoryLog } from '../support/memory/memory-log.js';
import { createMemoryStore } from '../support/memory/memory-store.js';

type Store = ReturnType<typeof createMemoryStore>;

function setUp(options: { wrapStore?: (store: Store) => Store; refuse?: () => ErrorCode | undefined } = {}) {
  const scheduler = createManualScheduler();
  const store = createMemoryStore();
  const memory = createMemoryGitHub({ now: scheduler.now });
  const github: Pick<GitHubPort, 'createDeploymentStatus'> = {
    createDeploymentStatus: async (request: DeploymentStatusRequest) => {
      const code = options.refuse?.();
      if (code) throw new DeploybotError(code, `GitHub says no (${code})`);
      return memory.createDeploymentStatus(request);
    },
  };
  const stopping = new AbortController();
  const log = createMemoryLog();
  const statuses = createSettleDeployStatuses({
    jobs: options.wrapStore ? options.wrapStore(store) : store,
    github,
    queue: createKeyedQueue(),
    scheduler,
    log,
    publicUrl: PUBLIC_URL,
    retryDelayMs: (attempt) => 1_000 * attempt,
    storeRetryDelayMs: () => 100,
    stopping: stopping.signal,
  });

  /** A finished job owing its final status, for a deployment GitHub knows. */
  async function finished(state: 'success' | 'error' = 'success', environmentUrl?: string) {
    const d = memory.addDeployment(FLOW_REPO, {
      sha: 'a'.repeat(40),
      ref: 'main',
      environment: 'production',
      task: 'deploy',
      payload: {},
    });
    await store.recordDeployJob({
      deploymentId: d.id,
      repository: FLOW_REPO,
      environment: 'production',
      lane: `${FLOW_REPO}:production`,
      ref: 'main',
      sha: d.sha,
      task: 'deploy',
      creator: undefined,
      payload: {},
      logToken: 'tok',
      enqueuedAt: 1,
    });
    const outcome = {
      state,
      description: state === 'success' ? 'deployed in 3s' : 'script exited with code 1',
      ...(environmentUrl === undefined ? {} : { environmentUrl }),
    };
    await store.finishDeployJob(d.id, 'queued', outcome, 2);
    return d;
  }
  return { scheduler, store, memory, statuses, stopping, log, finished };
}

describe('settling the final statuses finished jobs owe', () => {
  it('posts the final status once, with the log and environment links, and records it posted', async () => {
    const { statuses, store, finished } = setUp();
    const d = await finished('success', 'https://web.example.com');
    await statuses.settle(d.id);
    await statuses.settle(d.id);
    expect(
      d.statuses.map(({ state, description, logUrl, environmentUrl }) => ({
        state,
        description,
        logUrl,
        environmentUrl,
      })),
    ).toEqual([
      {
        state: 'success',
        description: 'deployed in 3s',
        logUrl: `${PUBLIC_URL}/deploys/${d.id}/tok`,
        environmentUrl: 'https://web.example.com',
      },
    ]);
    expect(await store.getDeployJob(d.id)).toMatchObject({ postedState: 'success', finalStatus: 'posted' });
  });

  it('retries what GitHub did not take after a growing wait, until it does', async () => {
    let failures = 2;
    const { statuses, store, scheduler, finished, log } = setUp({
      refuse: () => (failures-- > 0 ? 'github_unavailable' : undefined),
    });
    const d = await finished('error');
    await statuses.settle(d.id);
    expect(d.statuses).toEqual([]);
    expect(log.messages('warn')).toEqual(['final status not posted; will retry']);
    await scheduler.advance(999);
    expect(d.statuses).toEqual([]);
    await scheduler.advance(1);
    expect(d.statuses).toEqual([]);
    await scheduler.advance(2_000);
    expect(d.statuses.map((s) => s.state)).toEqual(['error']);
    await statuses.idle();
    expect(await store.getDeployJob(d.id)).toMatchObject({ finalStatus: 'posted' });
  });

  it('gives up on a status GitHub refuses for good, recording it abandoned', async () => {
    const { statuses, store, scheduler, finished, log } = setUp({ refuse: () => 'github_invalid' });
    const d = await finished();
    await statuses.settle(d.id);
    await scheduler.advance(600_000);
    expect(await store.getDeployJob(d.id)).toMatchObject({ finalStatus: 'abandoned' });
    expect(log.messages('error')).toEqual(['GitHub refused the final deployment status; giving up']);
  });

  it('does not post again a final status GitHub already has', async () => {
    const { statuses, store, finished } = setUp();
    const d = await finished();
    await store.recordPostedDeployStatus(d.id, 'success');
    await statuses.settle(d.id);
    expect(d.statuses).toEqual([]);
    expect(await store.getDeployJob(d.id)).toMatchObject({ finalStatus: 'posted' });
  });

  it('retries its bookkeeping through a store outage', async () => {
    const { statuses, store, scheduler, finished, log } = setUp({
      wrapStore: (s) => failNextCalls(s, 'settleFinalDeployStatus', 2),
    });
    const d = await finished();
    const settling = statuses.settle(d.id);
    await scheduler.advance(200);
    await settling;
    expect(d.statuses.map((s) => s.state)).toEqual(['success']);
    expect(await store.getDeployJob(d.id)).toMatchObject({ finalStatus: 'posted' });
    expect(log.messages('warn')).toEqual([
      'final status bookkeeping failed; retrying',
      'final status bookkeeping failed; retrying',
    ]);
  });

  it('settles everything still owed, e.g. from before a restart', async () => {
    const { statuses, finished } = setUp();
    const a = await finished();
    const b = await finished('error');
    await statuses.settleOwed();
    expect([a, b].map((d) => d.statuses.map((s) => s.state))).toEqual([['success'], ['error']]);
  });

  it('stops retrying when deploybot stops, leaving the status owed for the next start', async () => {
    const { statuses, store, scheduler, stopping, finished } = setUp({ refuse: () => 'github_unavailable' });
    const d = await finished();
    await statuses.settle(d.id);
    stopping.abort();
    await statuses.idle();
    await scheduler.advance(600_000);
    expect(d.statuses).toEqual([]);
    expect(scheduler.pendingSleeps()).toBe(0);
    expect(await store.getDeployJob(d.id)).toMatchObject({ finalStatus: 'owed' });
  });
});

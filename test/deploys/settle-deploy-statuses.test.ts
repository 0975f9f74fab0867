import { describe, expect, it } from 'vitest';
import { DeploybotError, type ErrorCode } from '../../src/core/errors.js';
import { createKeyedQueue } from '../../src/core/keyed-queue.js';
import type { DeploymentStatusRequest, GitHubPort } from '../../src/core/ports/github.js';
import { createSettleDeployStatuses } from '../../src/deploys/settle-deploy-statuses.js';
import { FLOW_REPO, flowConfig, PUBLIC_URL } from '../support/deployer/deploy-flows.js';
import { failNextCalls } from '../support/deployer/store-faults.js';
import { createManualScheduler, type ManualScheduler } from '../support/manual-scheduler.js';
import { createMemoryChat, type MemoryChat } from '../support/memory/memory-chat.js';
import { createMemoryGitHub, type MemoryGitHub } from '../support/memory/memory-github.js';
import { createMemoryLog } from '../support/memory/memory-log.js';
import { createMemoryStore } from '../support/memory/memory-store.js';

type Store = ReturnType<typeof createMemoryStore>;

interface SetUpOptions {
  wrapStore?: (store: Store) => Store;
  refuse?: () => ErrorCode | undefined;
  /** GitHub takes the status, then its answer is lost with this code (a gateway's 502, say). */
  lose?: () => ErrorCode | undefined;
  /** Another process on the same store, clock and GitHub. */
  after?: { scheduler: ManualScheduler; store: Store; memory: MemoryGitHub; chat: MemoryChat };
  runnerId?: string;
}

function setUp(options: SetUpOptions = {}) {
  const scheduler = options.after?.scheduler ?? createManualScheduler();
  const store = options.after?.store ?? createMemoryStore();
  const memory = options.after?.memory ?? createMemoryGitHub({ now: scheduler.now });
  const chat = options.after?.chat ?? createMemoryChat();
  const github: Pick<GitHubPort, 'createDeploymentStatus' | 'listDeploymentStates'> = {
    listDeploymentStates: (repo, id) => memory.listDeploymentStates(repo, id),
    createDeploymentStatus: async (request: DeploymentStatusRequest) => {
      const code = options.refuse?.();
      if (code) throw new DeploybotError(code, `GitHub says no (${code})`);
      const created = await memory.createDeploymentStatus(request);
      const lost = options.lose?.();
      if (lost) throw new DeploybotError(lost, `GitHub's answer was lost (${lost})`);
      return created;
    },
  };
  const stopping = new AbortController();
  const log = createMemoryLog();
  const statuses = createSettleDeployStatuses({
    jobs: options.wrapStore ? options.wrapStore(store) : store,
    github,
    chat,
    config: flowConfig(),
    runnerId: options.runnerId ?? 'host:1:a',
    claimTtlMs: 20_000,
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
    await store.finishDeployJob(d.id, 'queued', outcome, scheduler.now());
    return d;
  }
  return { scheduler, store, memory, chat, statuses, stopping, log, finished };
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

  it('does not post again an owed status that a stopped process posted before it could record so', async () => {
    const { statuses, store, finished, memory } = setUp();
    const posted = await finished();
    // The process that ran it posted it to GitHub, then stopped before recording it posted.
    await memory.createDeploymentStatus({
      repository: FLOW_REPO,
      deploymentId: posted.id,
      state: 'success',
      description: 'Deployed',
    });
    const owed = await finished('error');
    await statuses.settleOwed();
    expect(posted.statuses.map((s) => s.state)).toEqual(['success']);
    expect(owed.statuses.map((s) => s.state)).toEqual(['error']);
    expect(await store.getDeployJob(posted.id)).toMatchObject({
      finalStatus: 'posted',
      postedState: 'success',
    });
  });

  it('does not post again, when retrying, a final status GitHub took though its answer was lost', async () => {
    let lost = 1;
    const { statuses, store, scheduler, finished, memory } = setUp({
      lose: () => (lost-- > 0 ? 'github_unavailable' : undefined),
    });
    const d = await finished();
    await statuses.settle(d.id);
    await scheduler.advance(1_000);
    await statuses.idle();
    expect(d.statuses.map((s) => s.state)).toEqual(['success']);
    expect(memory.calls.filter((c) => c.method === 'listDeploymentStates')).toHaveLength(1);
    expect(await store.getDeployJob(d.id)).toMatchObject({ finalStatus: 'posted', postedState: 'success' });
  });

  it('does not post again an inherited status GitHub has under the inactive a later deployment added', async () => {
    const { statuses, store, finished, memory } = setUp();
    const posted = await finished();
    // Posted by a process that stopped before recording so; a later success then retired it.
    for (const state of ['success', 'inactive'] as const) {
      await memory.createDeploymentStatus({
        repository: FLOW_REPO,
        deploymentId: posted.id,
        state,
        description: 'Deployed',
      });
    }
    await statuses.settleOwed();
    expect(posted.statuses.map((s) => s.state)).toEqual(['success', 'inactive']);
    expect(await store.getDeployJob(posted.id)).toMatchObject({ finalStatus: 'posted' });
  });

  it('posts an inherited status GitHub has not got yet, after looking once', async () => {
    const { statuses, finished, memory } = setUp();
    const owed = await finished();
    await statuses.settleOwed();
    expect(owed.statuses.map((s) => s.state)).toEqual(['success']);
    expect(memory.calls.filter((c) => c.method === 'listDeploymentStates')).toHaveLength(1);
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

  it.each<[ErrorCode, string]>([
    ['github_forbidden', '403'],
    ['github_unauthorized', '401'],
  ])(
    'retries a status GitHub refuses with %s for a day, announcing it once with the permission',
    async (code, http) => {
      let granted = false;
      const { statuses, store, scheduler, chat, finished } = setUp({
        refuse: () => (granted ? undefined : code),
      });
      const d = await finished();
      await statuses.settle(d.id);
      for (let i = 0; i < 4; i++) await scheduler.advance(10_000);
      expect(d.statuses).toEqual([]);
      expect(await store.getDeployJob(d.id)).toMatchObject({ finalStatus: 'owed' });
      const announced = chat.inChannel('C0DEPLOYS');
      expect(announced).toHaveLength(1);
      expect(announced[0]?.content.text).toContain(`(${http})`);
      expect(announced[0]?.content.text).toContain('"Deployments: write"');
      expect(announced[0]?.content.text).toContain(`deployment ${d.id} of ${FLOW_REPO} to production`);

      // The permission was granted: the next retry gets through.
      granted = true;
      await scheduler.advance(60_000);
      expect(d.statuses.map((s) => s.state)).toEqual(['success']);
      await statuses.idle();
      expect(await store.getDeployJob(d.id)).toMatchObject({ finalStatus: 'posted' });
      expect(chat.inChannel('C0DEPLOYS')).toHaveLength(1);
    },
  );

  it('gives a permission refusal up once the deploy ended a day ago', async () => {
    const { statuses, store, scheduler, finished, log } = setUp({ refuse: () => 'github_forbidden' });
    const d = await finished();
    await scheduler.advance(24 * 60 * 60 * 1000);
    await statuses.settle(d.id);
    expect(await store.getDeployJob(d.id)).toMatchObject({ finalStatus: 'abandoned' });
    expect(log.messages('error')).toEqual(['GitHub refused the final deployment status; giving up']);
  });

  it('is posted by one process at a time, however many settle it', async () => {
    const first = setUp();
    const second = setUp({ after: first, runnerId: 'host:2:b' });
    const d = await first.finished();
    await Promise.all([
      first.statuses.settle(d.id),
      second.statuses.settle(d.id),
      second.statuses.settleOwed(),
    ]);
    expect(d.statuses.map((s) => s.state)).toEqual(['success']);
  });

  it('leaves a status another process claimed to it, and takes it over once the claim lapsed', async () => {
    const first = setUp();
    const d = await first.finished();
    // A process claimed it to retry in a while, then died.
    const now = first.scheduler.now();
    expect(await first.store.claimFinalDeployStatus(d.id, 'host:9:dead', now, now + 21_000)).toBe(true);
    await first.statuses.settleOwed();
    expect(d.statuses).toEqual([]);
    await first.scheduler.advance(21_000);
    await first.statuses.settleOwed();
    expect(d.statuses.map((s) => s.state)).toEqual(['success']);
  });

  it('gives its claim up when it stops before a retry, for another process to post at once', async () => {
    let down = true;
    const first = setUp({ refuse: () => (down ? 'github_unavailable' : undefined) });
    const second = setUp({ after: first, runnerId: 'host:2:b' });
    const d = await first.finished();
    await first.statuses.settle(d.id);
    await second.statuses.settleOwed();
    expect(d.statuses).toEqual([]);
    first.stopping.abort();
    await first.statuses.idle();
    down = false;
    await second.statuses.settleOwed();
    expect(d.statuses.map((s) => s.state)).toEqual(['success']);
  });
});

import { isUnfinished, isWaiting, JOB_TRANSITIONS } from '../core/deploy-job-state.js';
import { findHoldingLock } from '../core/deploy-lock-wait.js';
import { formatClosingNote } from '../core/deploy-log-note.js';
import { describeOutcome } from '../core/deploy-outcome.js';
import { describeWait, planQueue } from '../core/deploy-queue.js';
import type { Lock } from '../core/lock.js';
import type { DeployJob, DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { LockStore } from '../core/ports/lock-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { Clock } from '../core/scheduler.js';
import type { DeployRuns } from './deploy-runs.js';
import type { EndDeployJob } from './end-deploy-job.js';
import type { PostDeployStatus } from './post-deploy-status.js';
import type { RunDeployJob } from './run-deploy-job.js';

export interface StartDeployJobsOptions {
  readonly jobs: Pick<DeployJobStore, 'listUnfinishedDeployJobs' | 'claimDeployJob' | 'claimQueuedNotice'>;
  /** The environments' locks: one taken after a job came in holds it until the unlock. */
  readonly locks: Pick<LockStore, 'getLock'>;
  readonly runs: DeployRuns;
  readonly runJob: RunDeployJob;
  readonly endJob: EndDeployJob;
  readonly postStatus: PostDeployStatus;
  readonly clock: Clock;
  readonly log: LogPort;
  /** How many deploys this process runs at once (DEPLOY_CONCURRENCY). */
  readonly concurrency: number;
  /** Names this process in the jobs it claims. */
  readonly runnerId: string;
  /** How long a claim holds the job before this process must renew it. */
  readonly leaseTtlMs: number;
  /** deploybot's own secrets as selectSecrets gives them. */
  readonly secrets: readonly string[];
  /** Aborted when deploybot stops: nothing more starts. */
  readonly stopping: AbortSignal;
  /** Told when a run ended: its lane and slot are free for what waits. */
  readonly onRunEnded: () => void;
}

/**
 * One pass over the queue: what may start now is claimed and started (it runs on after the
 * pass), what must wait is told why with a `queued` status, once, and once more when it comes
 * to wait for a lock.
 */
export type StartDeployJobs = () => Promise<void>;

const LIST_LIMIT = 1000;

export function createStartDeployJobs(options: StartDeployJobsOptions): StartDeployJobs {
  const { jobs, runs, log } = options;
  /** Waiting jobs told so with a `queued` status by this process, and whether for a lock. */
  const announced = new Map<number, 'lock' | 'turn'>();

  async function startJob(job: DeployJob): Promise<void> {
    const id = job.deploymentId;
    const claim = jobs.claimDeployJob(
      id,
      job.lane,
      options.runnerId,
      options.clock.now(),
      options.leaseTtlMs,
    );
    // Registered before the claim settles, so a cancel or stop arriving meanwhile finds it and waits.
    const run = runs.add(id, claim);
    let claimed = false;
    try {
      claimed = await claim;
    } finally {
      if (!claimed) runs.remove(id);
    }
    if (!claimed) return;
    run.claimed = true;
    announced.delete(id);
    const running: DeployJob = { ...job, state: JOB_TRANSITIONS.claim.to };
    run.done = options
      .runJob(running, run)
      .catch((error: unknown) => recordCrash(id, error))
      .finally(() => {
        runs.remove(id);
        options.onRunEnded();
      });
  }

  /** The runner itself failed: the job still gets an outcome, or the next start gives it one. */
  async function recordCrash(id: number, error: unknown): Promise<void> {
    const jobLog = log.child({ deployment: id });
    jobLog.error({ err: error }, 'deploy bookkeeping failed');
    const described = describeOutcome({ kind: 'crashed', reason: 'internal error' });
    const note = formatClosingNote(described, options.secrets);
    try {
      await options.endJob({ deploymentId: id, from: 'running', outcome: described, note, log: jobLog });
    } catch (again) {
      jobLog.error({ err: again }, 'could not record the end of the deploy; the next start reports it');
    }
  }

  /** The lock each queued job must wait for, if any; each environment's lock read once. */
  async function findHoldingLocks(queued: readonly DeployJob[]): Promise<Map<number, Lock>> {
    const locks = new Map<string, Promise<Lock | undefined>>();
    const now = options.clock.now();
    const holding = new Map<number, Lock>();
    for (const job of queued) {
      let lock = locks.get(job.lane);
      if (!lock) {
        lock = options.locks.getLock(job.repository, job.environment);
        locks.set(job.lane, lock);
      }
      const held = findHoldingLock(job, await lock, now);
      if (held) holding.set(job.deploymentId, held);
    }
    return holding;
  }

  return async () => {
    const listed = await jobs.listUnfinishedDeployJobs(LIST_LIMIT);
    const byId = new Map(listed.map((job) => [job.deploymentId, job]));
    // Those no longer waiting (cancelled, claimed elsewhere) need no memory of their status.
    for (const id of announced.keys()) {
      const job = byId.get(id);
      if (!job || !isWaiting(job.state)) announced.delete(id);
    }
    const holding = await findHoldingLocks(listed.filter((job) => job.state === 'queued'));
    const entries = listed.flatMap((job) => {
      if (!isUnfinished(job.state)) return [];
      const lock = holding.get(job.deploymentId);
      return [
        {
          id: job.deploymentId,
          lane: job.lane,
          state: job.state,
          ...(lock === undefined ? {} : { lockedIn: lock.environment }),
        },
      ];
    });
    const plan = planQueue(entries, options.concurrency);
    for (const { id, reason } of plan.wait) {
      const job = byId.get(id);
      if (!job) continue;
      const why = reason.kind === 'locked' ? 'lock' : 'turn';
      // Told once why it waits; told again only when a lock comes to hold it. What this process
      // already looked at is remembered here; the store decides, so of all processes one tells.
      const known = announced.get(id);
      if (known === 'lock' || known === why) continue;
      if (why === 'turn' && job.postedState !== undefined) continue;
      announced.set(id, why);
      const claim = await jobs.claimQueuedNotice(id, why);
      if (claim === false) continue;
      const again = claim === 'again';
      void options.postStatus(job, {
        state: 'queued',
        description: describeWait(reason),
        ...(again ? { again } : {}),
      });
    }
    for (const id of plan.start) {
      const job = byId.get(id);
      if (job && !options.stopping.aborted) await startJob(job);
    }
  };
}

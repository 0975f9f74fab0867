import { findEnvironment, findRepo } from '../core/config-lookup.js';
import { decideIntake, type IncomingDeployment } from '../core/deploy-intake.js';
import { selectSecrets } from '../core/deploy-mask.js';
import { type DescribedOutcome, describeOutcome } from '../core/deploy-outcome.js';
import { describeWait, laneOf, planQueue } from '../core/deploy-queue.js';
import { DeploybotError } from '../core/errors.js';
import type { DeployJob } from '../core/ports/deploy-job-store.js';
import { type JobRunnerDeps, type RunControl, recordJobEnd, runJob } from './job-runner.js';
import { formatNote } from './log-capture.js';
import { createPump } from './pump.js';
import { createRecovery } from './recovery.js';
import type { StatusPoster } from './status-poster.js';

export interface DeployerOptions extends Omit<JobRunnerDeps, 'statuses' | 'stopping'> {
  readonly statuses: StatusPoster;
  /** How many deploys this process runs at once (DEPLOY_CONCURRENCY). */
  readonly concurrency: number;
  /** Names this process in the jobs it claims. */
  readonly runnerId: string;
  /** A new unguessable log page token. */
  readonly newToken: () => string;
  /** How often the queue is looked at unasked, so it moves on after the store failed. */
  readonly sweepIntervalMs: number;
}

export type SubmitResult =
  | { readonly kind: 'queued' }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'refused'; readonly error: DeploybotError };

export type CancelTarget =
  | { readonly repository: string; readonly environment: string }
  | { readonly deploymentId: number };

export interface CancelResult {
  /** The deployments that were waiting or running and are now being stopped. */
  readonly cancelled: readonly number[];
}

export interface Deployer {
  /** Takes a deployment in; each deployment id runs once however often it is submitted. */
  submit(deployment: IncomingDeployment): Promise<SubmitResult>;
  /**
   * Cancels one deployment, or everything waiting and running in a repository's environment.
   * A waiting one is dropped, a running one killed; both end in `error` "cancelled by @by".
   * One that already ended, or whose outcome is already decided, is not reported.
   */
  cancel(target: CancelTarget, by: string): Promise<CancelResult>;
  /** Ends deploys the previous process left running, posts owed statuses, starts what waits. */
  start(): Promise<void>;
  /** Stops running deploys (they end in `error`) and takes no more. */
  stop(): Promise<void>;
}

/** A job this process is claiming or running. */
interface ActiveRun extends RunControl {
  /** Whether the claim made the job ours; false when it failed too. */
  readonly claim: Promise<boolean>;
  /** Set the moment the claim succeeds. */
  done?: Promise<void>;
}

const LIST_LIMIT = 1000;

export function createDeployer(options: DeployerOptions): Deployer {
  const { store, clock, statuses, logger } = options;
  const stopping = new AbortController();
  const deps: JobRunnerDeps = { ...options, stopping: stopping.signal };
  const secrets = selectSecrets(options.secrets);
  const active = new Map<number, ActiveRun>();
  const announcedQueued = new Set<number>();
  const recovery = createRecovery({ store, clock, logger, statuses });
  const pump = createPump({ run: pumpOnce, retryDelayMs: options.storeRetryDelayMs, logger });
  let sweepTimer: NodeJS.Timeout | undefined;
  let sweeping = false;
  let started = false;
  const stopped = () => stopping.signal.aborted;
  const requestPump = () => {
    if (started) pump.request();
  };

  async function pumpOnce(): Promise<void> {
    const jobs = await store.listUnfinishedDeployJobs(LIST_LIMIT);
    const byId = new Map(jobs.map((job) => [job.deploymentId, job]));
    const plan = planQueue(
      jobs.map((job) => ({ id: job.deploymentId, lane: job.lane, state: job.state as 'queued' | 'running' })),
      options.concurrency,
    );
    for (const { id, reason } of plan.wait) {
      const job = byId.get(id);
      if (!job || job.postedState !== undefined || announcedQueued.has(id)) continue;
      announcedQueued.add(id);
      void statuses.post(job, { state: 'queued', description: describeWait(reason) });
    }
    for (const id of plan.start) {
      const job = byId.get(id);
      if (job && !stopped()) await startJob(job);
    }
  }

  async function startJob(job: DeployJob): Promise<void> {
    const id = job.deploymentId;
    const claim = store.claimDeployJob(id, job.lane, options.runnerId, clock.now());
    // Registered before the claim settles, so a cancel or stop arriving meanwhile finds it and waits.
    const run: ActiveRun = {
      controller: new AbortController(),
      decided: false,
      claim: claim.catch(() => false),
    };
    active.set(id, run);
    let claimed = false;
    try {
      claimed = await claim;
    } finally {
      if (!claimed) active.delete(id);
    }
    if (!claimed) return;
    announcedQueued.delete(id);
    run.done = runJob(deps, { ...job, state: 'running' }, run)
      .catch((error: unknown) => recordCrash(id, error))
      .finally(() => {
        active.delete(id);
        requestPump();
      });
  }

  /** The runner itself failed: the job still gets an outcome, or the next start gives it one. */
  async function recordCrash(id: number, error: unknown): Promise<void> {
    const log = logger.child({ deployment: id });
    log.error({ err: error }, 'deploy bookkeeping failed');
    const described = describeOutcome({ kind: 'crashed', reason: 'internal error' });
    try {
      await recordJobEnd(deps, id, 'running', described, closingNote(described), log);
    } catch (again) {
      log.error({ err: again }, 'could not record the end of the deploy; the next start reports it');
    }
  }

  function closingNote(described: DescribedOutcome): string {
    return formatNote(`${described.state}: ${described.description}`, secrets);
  }

  async function finishQueued(job: DeployJob, described: DescribedOutcome): Promise<boolean> {
    const id = job.deploymentId;
    if (!(await store.finishDeployJob(id, 'queued', described, clock.now(), closingNote(described)))) {
      return false;
    }
    announcedQueued.delete(id);
    void statuses.settle(id);
    return true;
  }

  async function sweep(): Promise<void> {
    if (sweeping || stopped()) return;
    sweeping = true;
    try {
      await recovery.retryFailed();
    } finally {
      sweeping = false;
    }
    requestPump();
  }

  /** Stops a running deploy, unless its outcome is already decided or something else stopped it first. */
  function abortRun(run: ActiveRun, by: string): boolean {
    if (run.decided || run.controller.signal.aborted) return false;
    run.controller.abort({ kind: 'cancelled', by });
    return true;
  }

  async function cancelOne(id: number, by: string): Promise<boolean> {
    // A few looks: a queued job may be claimed between two of them, and a claim may fail.
    for (let look = 0; look < 4; look++) {
      const run = active.get(id);
      if (run?.done) return abortRun(run, by);
      if (run) {
        await run.claim;
        continue;
      }
      const job = await store.getDeployJob(id);
      if (job?.state === 'queued') {
        if (await finishQueued(job, describeOutcome({ kind: 'cancelled', by }))) return true;
      } else if (!active.has(id)) {
        // It ended, or it is not this process's to stop.
        return false;
      }
    }
    return false;
  }

  return {
    async submit(deployment) {
      const intake = decideIntake(options.config, deployment);
      if (intake.kind === 'ignore') return { kind: 'ignored', reason: intake.reason };
      const job = {
        deploymentId: deployment.id,
        repository: intake.repo.fullName,
        environment: deployment.environment,
        lane: intake.lane,
        ref: deployment.ref,
        sha: deployment.sha,
        task: deployment.task,
        creator: deployment.creator,
        payload: deployment.payload,
        logToken: options.newToken(),
        enqueuedAt: clock.now(),
      };
      if (intake.kind === 'refuse' && intake.error) {
        const refused = describeOutcome({ kind: 'refused', reason: intake.error.message });
        // The note is stored with the job, so the log says why whenever the job is visible.
        if ((await store.recordDeployJob(job, refused, closingNote(refused))) === 'recorded') {
          logger.warn({ deployment: job.deploymentId, code: intake.error.code }, 'deployment refused');
          void statuses.settle(job.deploymentId);
        }
        return { kind: 'refused', error: intake.error };
      }
      if ((await store.recordDeployJob(job)) === 'duplicate') {
        if (deployment.payload !== undefined) {
          await store.fillDeployJobDetails(job.deploymentId, {
            task: deployment.task ?? 'deploy',
            creator: deployment.creator,
            payload: deployment.payload,
          });
        }
        return { kind: 'duplicate' };
      }
      logger.info({ deployment: job.deploymentId, lane: job.lane }, 'deployment queued');
      requestPump();
      return { kind: 'queued' };
    },

    async cancel(target, by) {
      let ids: number[];
      if ('deploymentId' in target) ids = [target.deploymentId];
      else {
        const repo = findRepo(options.config, target.repository);
        if (!repo)
          throw new DeploybotError('unknown_repository', `${target.repository} is not in deploybot.yml`);
        // People cancel by what they type, aliases included.
        const environment = findEnvironment(repo, target.environment);
        if (!environment) {
          throw new DeploybotError(
            'unknown_environment',
            `${repo.fullName} has no environment ${target.environment}`,
          );
        }
        const lane = laneOf(repo.fullName, environment.name);
        const jobs = await store.listUnfinishedDeployJobs(LIST_LIMIT);
        // Waiting ones first: stopping the running one frees the lane for them.
        const inLane = jobs.filter((job) => job.lane === lane);
        ids = [
          ...inLane.filter((job) => job.state === 'queued'),
          ...inLane.filter((job) => job.state === 'running'),
        ].map((job) => job.deploymentId);
      }
      const cancelled: number[] = [];
      for (const id of ids) if (await cancelOne(id, by)) cancelled.push(id);
      if (cancelled.length > 0) logger.info({ cancelled, by }, 'deployments cancelled');
      requestPump();
      return { cancelled };
    },

    async start() {
      const jobs = await store.listUnfinishedDeployJobs(LIST_LIMIT);
      // Their final statuses are posted by resumeOwed below.
      await recovery.recover(jobs.filter((job) => job.state === 'running'));
      started = true;
      sweepTimer = setInterval(() => void sweep(), options.sweepIntervalMs);
      sweepTimer.unref();
      statuses
        .resumeOwed()
        .catch((error: unknown) => logger.error({ err: error }, 'could not resume statuses'));
      requestPump();
    },

    async stop() {
      stopping.abort();
      clearInterval(sweepTimer);
      for (const run of active.values()) run.controller.abort({ kind: 'stopping' });
      // Bookkeeping now gets one last try each, so a store outage cannot hold the stop up.
      const statusesStopped = statuses.stop();
      await pump.stop();
      // A job still being claimed has no run yet: its claim is what to wait for.
      while (active.size > 0) await Promise.all([...active.values()].map((run) => run.done ?? run.claim));
      await statusesStopped;
      // The final statuses of the deploys just stopped.
      await statuses.stop();
    },
  };
}

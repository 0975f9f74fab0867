import type { Config } from '../core/config.js';
import type { IncomingDeployment } from '../core/deploy-intake.js';
import { selectSecrets } from '../core/deploy-mask.js';
import { createKeyedQueue } from '../core/keyed-queue.js';
import type { ChatPort } from '../core/ports/chat.js';
import type { DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { DeployLeftovers } from '../core/ports/deploy-leftovers.js';
import type { OpenDeployLog } from '../core/ports/deploy-log.js';
import type { DeployLogStore } from '../core/ports/deploy-log-store.js';
import type { DeployProvider } from '../core/ports/deploy-provider.js';
import type { CreatedDeployment, GitHubPort } from '../core/ports/github.js';
import type { IdentityPort } from '../core/ports/identity.js';
import type { LockStore } from '../core/ports/lock-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { DeployMetrics } from '../core/ports/metrics.js';
import type { RunnerLiveness } from '../core/ports/runner-liveness.js';
import type { Scheduler } from '../core/scheduler.js';
import { type CancelResult, type CancelTarget, createCancelDeployJobs } from './cancel-deploy-jobs.js';
import { createDeployRuns } from './deploy-runs.js';
import { createEndDeployJob } from './end-deploy-job.js';
import { createPostDeployStatus } from './post-deploy-status.js';
import { createPump } from './pump.js';
import { createReportDeployEnd } from './report-deploy-end.js';
import { createRunDeployJob } from './run-deploy-job.js';
import { createSettleDeployStatuses } from './settle-deploy-statuses.js';
import { createStartDeployJobs } from './start-deploy-jobs.js';
import { createSubmitCreatedDeployment } from './submit-created-deployment.js';
import { createSubmitDeployJob, type SubmitResult } from './submit-deploy-job.js';
import { createTakeOverDeployJobs } from './take-over-deploy-jobs.js';

export interface DeployerOptions {
  readonly config: Config;
  readonly jobs: DeployJobStore;
  readonly logs: DeployLogStore;
  /** Environments' locks: a job not started when someone else locks its environment waits. */
  readonly locks: Pick<LockStore, 'getLock'>;
  readonly github: Pick<GitHubPort, 'getDeployment' | 'createDeploymentStatus' | 'listDeploymentStates'>;
  /** Where a final status GitHub refuses for want of permission is announced. */
  readonly chat: Pick<ChatPort, 'postMessage'>;
  readonly provider: DeployProvider;
  /** Who deploybot is on GitHub: deployments it created itself always run. */
  readonly identity: IdentityPort;
  readonly leftovers: DeployLeftovers;
  /** Whether another process, named by its runner id, is on this machine and still there. */
  readonly liveness: RunnerLiveness;
  readonly openLog: OpenDeployLog;
  readonly scheduler: Scheduler;
  readonly log: LogPort;
  readonly publicUrl: string;
  /** deploybot's own secrets, masked in every log. */
  readonly secrets: readonly string[];
  /** How many deploys this process runs at once (DEPLOY_CONCURRENCY). */
  readonly concurrency: number;
  /** Names this process in the jobs it claims (core/runner-id.ts: host, pid and a random part). */
  readonly runnerId: string;
  /** How long a job is held without its lease being renewed; another process may take it over after. */
  readonly leaseTtlMs: number;
  /** How often this process renews its jobs' leases and looks for jobs whose process stopped. */
  readonly heartbeatIntervalMs: number;
  /** How long a stop lets running deploys finish before ending them (SHUTDOWN_GRACE_SECONDS). */
  readonly shutdownGraceMs: number;
  /** A new unguessable log page token. */
  readonly newToken: () => string;
  /** How often the queue is looked at unasked, so it moves on after the store failed. */
  readonly sweepIntervalMs: number;
  /** Before retry `attempt` of store work that must not be lost: a deploy's end, the queue. */
  readonly storeRetryDelayMs: (attempt: number) => number;
  /** Before retry `attempt` of a final status GitHub did not take. */
  readonly statusRetryDelayMs: (attempt: number) => number;
  /** The waits before each retry of taking in a deployment deploybot created. */
  readonly submitRetryDelaysMs: readonly number[];
  /** Told of every deploy that ends. */
  readonly metrics?: DeployMetrics;
}

export interface Deployer {
  /** Takes a deployment in; each deployment id runs once however often it is submitted. */
  submit(deployment: IncomingDeployment): Promise<SubmitResult>;
  /** A deployment arrived (its webhook): taken in; a failure is thrown, so the delivery is retried. */
  deploymentArrived(deployment: IncomingDeployment): Promise<void>;
  /** deploybot created a deployment: taken in, retried a few times; never throws. */
  deploymentCreated(repository: string, created: CreatedDeployment): Promise<void>;
  /**
   * Cancels one deployment, or everything waiting and running in a repository's environment.
   * A waiting one is dropped, a running one killed; both end in `error` "cancelled by @by".
   * One that already ended, or whose outcome is already decided, is not reported.
   */
  cancel(target: CancelTarget, by: string): Promise<CancelResult>;
  /** An environment was unlocked: the jobs that waited for its lock may start. */
  unlocked(): void;
  /**
   * Ends the deploys of processes that stopped (never those of a live one), posts owed
   * statuses, starts what waits, and from then on renews the leases of its own deploys.
   */
  start(): Promise<void>;
  /**
   * Takes no more; a deploy not begun goes back to the queue, the others may finish within the
   * grace period, and what still runs then ends in `error`.
   */
  stop(): Promise<void>;
}

/**
 * The deployer: the deploy flows over their ports, and the life of this process around
 * them (the queue's pump, the sweep, the runs a cancel or stop must find).
 */
export function createDeployer(options: DeployerOptions): Deployer {
  const { jobs, scheduler, log } = options;
  // Claiming stops first; bookkeeping (ends, statuses) keeps its retries until the grace is over.
  const draining = new AbortController();
  const stopping = new AbortController();
  const secrets = selectSecrets(options.secrets);
  const runs = createDeployRuns();
  const statusQueue = createKeyedQueue();
  let started = false;
  let stopSweep: (() => void) | undefined;
  let stopHeartbeat: (() => void) | undefined;
  const requestPump = () => {
    if (started) pump.request();
  };

  const common = { scheduler, clock: scheduler, log, stopping: stopping.signal };
  const postStatus = createPostDeployStatus({ ...options, queue: statusQueue });
  const statuses = createSettleDeployStatuses({
    ...common,
    jobs,
    github: options.github,
    chat: options.chat,
    config: options.config,
    runnerId: options.runnerId,
    claimTtlMs: options.leaseTtlMs,
    queue: statusQueue,
    publicUrl: options.publicUrl,
    retryDelayMs: options.statusRetryDelayMs,
    storeRetryDelayMs: options.storeRetryDelayMs,
  });
  const settle = statuses.settle;
  const reportEnd = createReportDeployEnd({ jobs, metrics: options.metrics });
  const endJob = createEndDeployJob({
    ...common,
    jobs,
    settle,
    reportEnd,
    storeRetryDelayMs: options.storeRetryDelayMs,
  });
  const runJob = createRunDeployJob({ ...options, ...common, postStatus, endJob });
  const startJobs = createStartDeployJobs({
    ...options,
    ...common,
    stopping: draining.signal,
    secrets,
    runs,
    runJob,
    endJob,
    postStatus,
    onRunEnded: requestPump,
  });
  const pump = createPump({ ...common, run: startJobs, retryDelayMs: options.storeRetryDelayMs });
  const takeOver = createTakeOverDeployJobs({
    ...common,
    jobs,
    leftovers: options.leftovers,
    liveness: options.liveness,
    runnerId: options.runnerId,
    leaseTtlMs: options.leaseTtlMs,
    isRunningHere: (id) => runs.get(id) !== undefined,
    settle,
  });
  const submitJob = createSubmitDeployJob({ ...options, ...common, secrets, settle });
  const cancelJobs = createCancelDeployJobs({ ...options, ...common, secrets, runs, settle, reportEnd });

  async function submit(deployment: IncomingDeployment): Promise<SubmitResult> {
    const result = await submitJob(deployment);
    if (result.kind === 'queued') requestPump();
    return result;
  }

  /**
   * Renews the leases of this process's deploys; one missing from the answer was taken over by
   * another process (ours lapsed), so it is stopped here without reporting anything.
   */
  async function renewLeases(): Promise<void> {
    // Judged only on claims made before the renewal was asked for.
    const claimed = runs.claimedRuns();
    const held = new Set(
      await jobs.renewDeployJobLeases(options.runnerId, scheduler.now(), options.leaseTtlMs),
    );
    for (const [id, run] of claimed) {
      if (held.has(id) || runs.get(id) !== run) continue;
      if (runs.abort(run, { kind: 'taken_over' }))
        log.warn(
          { deployment: id },
          'another deploybot process took over a deploy running here; stopping it',
        );
    }
  }

  /** Cancels asked on other processes of deploys running here. */
  async function answerCancelRequests(): Promise<void> {
    for (const { deploymentId, by } of await jobs.listCancelRequests(options.runnerId)) {
      const run = runs.get(deploymentId);
      if (run?.done && runs.abort(run, { kind: 'cancelled', by }))
        log.info({ deployment: deploymentId, by }, 'deploy cancelled from another deploybot process');
    }
  }

  async function heartbeat(): Promise<void> {
    await renewLeases();
    await answerCancelRequests();
    if (draining.signal.aborted) return;
    // Their lanes are free now: what waited there may start.
    if ((await takeOver()) > 0) requestPump();
  }

  async function sweep(): Promise<void> {
    if (draining.signal.aborted) return;
    await statuses.settleOwed();
    requestPump();
  }

  /** Resolves true once every run ended, false when `ms` passed first. */
  async function waitForRuns(ms: number): Promise<boolean> {
    if (ms <= 0) return runs.claimedRuns().length === 0;
    const over = new AbortController();
    const ended = runs.settled().then(() => true);
    const timedOut = scheduler.sleep(ms, over.signal).then(() => false);
    const result = await Promise.race([ended, timedOut]);
    over.abort();
    return result;
  }

  return {
    submit,
    deploymentArrived: async (deployment) => {
      await submit(deployment);
    },
    deploymentCreated: createSubmitCreatedDeployment({
      submit,
      scheduler,
      log,
      retryDelaysMs: options.submitRetryDelaysMs,
    }),
    async cancel(target, by) {
      const result = await cancelJobs(target, by);
      requestPump();
      return result;
    },
    unlocked: requestPump,
    async start() {
      // Learnt now so the first deployment need not wait for it; a submit asks again if this failed.
      await options.identity
        .identity()
        .catch((error: unknown) =>
          log.warn({ err: error }, "could not learn deploybot's GitHub login; deployments wait for it"),
        );
      // Only deploys whose process stopped; a failure is tried again at the next heartbeat.
      await takeOver().catch((error: unknown) =>
        log.error({ err: error }, 'could not look for deploys whose process stopped'),
      );
      started = true;
      stopHeartbeat = scheduler.every(options.heartbeatIntervalMs, heartbeat, (error: unknown) =>
        log.error({ err: error }, 'could not renew the leases of running deploys'),
      );
      stopSweep = scheduler.every(options.sweepIntervalMs, sweep, (error: unknown) =>
        log.error({ err: error }, 'could not sweep the deploy queue'),
      );
      statuses.settleOwed().catch((error: unknown) => log.error({ err: error }, 'could not resume statuses'));
      requestPump();
    },
    async stop() {
      draining.abort();
      stopSweep?.();
      // Not begun: nothing of it ran, so it goes back to the queue for another process now.
      runs.abortNotBegun({ kind: 'stopping' });
      await pump.stop();
      runs.abortNotBegun({ kind: 'stopping' });
      if (!(await waitForRuns(options.shutdownGraceMs))) {
        log.warn(
          { graceMs: options.shutdownGraceMs },
          'deploys still running after the grace period; stopping them',
        );
        runs.abortAll({ kind: 'stopping' });
      }
      // Bookkeeping now gets one last try each, so a store outage cannot hold the stop up.
      stopping.abort();
      const statusesIdle = statuses.idle();
      await runs.settled();
      stopHeartbeat?.();
      await statusesIdle;
      // The final statuses of the deploys just stopped.
      await statuses.idle();
    },
  };
}

import type { Config } from '../core/config.js';
import { channelFor } from '../core/config-lookup.js';
import { buildDeployStatusRequest, statusQueueKey } from '../core/deploy-status.js';
import { canTransition } from '../core/deployment-state.js';
import { type DeploybotError, toDeploybotError } from '../core/errors.js';
import {
  describeFinalStatusRefusal,
  PERMISSION_CODES,
  PERMISSION_RETRY_MS,
} from '../core/final-status-refusal.js';
import type { KeyedQueue } from '../core/keyed-queue.js';
import type { ChatPort } from '../core/ports/chat.js';
import type { DeployJob, DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { GitHubPort } from '../core/ports/github.js';
import type { LogPort } from '../core/ports/log.js';
import type { Scheduler } from '../core/scheduler.js';
import { retryUntilStopped } from './retry-until-stopped.js';

export interface SettleDeployStatusesOptions {
  readonly jobs: Pick<
    DeployJobStore,
    | 'getDeployJob'
    | 'listDeployJobsOwingFinalStatus'
    | 'recordPostedDeployStatus'
    | 'settleFinalDeployStatus'
    | 'claimFinalDeployStatus'
    | 'recordFinalStatusWarned'
  >;
  readonly github: Pick<GitHubPort, 'createDeploymentStatus' | 'listDeploymentStates'>;
  /** Where a final status GitHub refuses for want of permission is announced: the repository's channel. */
  readonly chat: Pick<ChatPort, 'postMessage'>;
  readonly config: Config;
  /** This process, as it claims a final status to post. */
  readonly runnerId: string;
  /** How long a claim on a final status holds while it is posted. */
  readonly claimTtlMs: number;
  /** Shared with the statuses on the way: one deployment's statuses go out one at a time. */
  readonly queue: KeyedQueue;
  readonly scheduler: Pick<Scheduler, 'sleep' | 'now'>;
  readonly log: LogPort;
  readonly publicUrl: string;
  /** Wait before retry `attempt` (1-based) of a final status GitHub did not take. */
  readonly retryDelayMs: (attempt: number) => number;
  /** Wait before retry `attempt` of a store read or write of the final status's bookkeeping. */
  readonly storeRetryDelayMs: (attempt: number) => number;
  /** Aborted when deploybot stops: no more retries, what is in flight gets one last try. */
  readonly stopping: AbortSignal;
}

export interface SettleDeployStatuses {
  /** Posts the final status a finished job owes, retrying transient failures until it is taken. */
  settle(deploymentId: number): Promise<void>;
  /** Settles every final status still owed (from before a restart, or a process that stopped) not already waiting here. */
  settleOwed(): Promise<void>;
  /**
   * Resolves once nothing is in flight or waiting to be retried; after `stopping`, what is
   * still owed stays recorded for the next start.
   */
  idle(): Promise<void>;
}

const OWED_LIMIT = 1000;

/**
 * The final statuses finished jobs owe GitHub, posted once each and recorded as posted. Each is
 * claimed on its row first, so of several processes one at a time posts it; one waiting for a
 * retry stays claimed until then. A status GitHub refuses for want of permission (401/403) is
 * retried for 24 hours and announced once in the repository's channel.
 */
export function createSettleDeployStatuses(options: SettleDeployStatusesOptions): SettleDeployStatuses {
  const { jobs, github, log, stopping } = options;
  const retries = new Set<Promise<void>>();
  /** Deployments whose retry waits here: settleOwed leaves them to it. */
  const waiting = new Set<number>();

  function enqueue(deploymentId: number, attempt: number, inherited = false): Promise<void> {
    return options.queue
      .run(statusQueueKey(deploymentId), () => postFinal(deploymentId, attempt, inherited))
      .catch((error: unknown) => {
        log.error({ err: error, deployment: deploymentId }, 'deployment status bookkeeping failed');
      });
  }

  /** A store read or write the final status depends on: a passing outage must not lose it. */
  function retryStore<T>(deploymentId: number, task: () => Promise<T>): Promise<T> {
    return retryUntilStopped(task, {
      delayMs: options.storeRetryDelayMs,
      signal: stopping,
      sleep: options.scheduler.sleep,
      onRetry: (error, attempt, delayMs) =>
        log.warn(
          { err: error, deployment: deploymentId, attempt, retryInMs: delayMs },
          'final status bookkeeping failed; retrying',
        ),
    });
  }

  /** Tries again after a wait, outside the queue so the deployment's other statuses are not held up. */
  function retryLater(deploymentId: number, attempt: number, delayMs: number): void {
    waiting.add(deploymentId);
    const retry = options.scheduler.sleep(delayMs, stopping).then(async (fired) => {
      waiting.delete(deploymentId);
      if (fired) return enqueue(deploymentId, attempt);
      await releaseClaim(deploymentId);
    });
    retries.add(retry);
    void retry.finally(() => retries.delete(retry));
  }

  /** Stopping: the claim lapses now, so another process (or the next start) need not wait for it. */
  async function releaseClaim(deploymentId: number): Promise<void> {
    const now = options.scheduler.now();
    await jobs
      .claimFinalDeployStatus(deploymentId, options.runnerId, now, now)
      .catch((error: unknown) =>
        log.warn({ err: error, deployment: deploymentId }, 'could not give up the claim on a final status'),
      );
  }

  /** Holds the claim on the row until `until`; false if another process holds it. */
  function claim(deploymentId: number, until: number): Promise<boolean> {
    const now = options.scheduler.now();
    return retryStore(deploymentId, () =>
      jobs.claimFinalDeployStatus(deploymentId, options.runnerId, now, until),
    );
  }

  /** Tells the repository's channel, once across processes, that GitHub refuses for want of permission. */
  async function announceRefusal(job: DeployJob, error: DeploybotError, jobLog: LogPort): Promise<void> {
    const first = await retryStore(job.deploymentId, () =>
      jobs.recordFinalStatusWarned(job.deploymentId, options.scheduler.now()),
    );
    if (!first) return;
    const content = describeFinalStatusRefusal({
      deploymentId: job.deploymentId,
      repository: job.repository,
      environment: job.environment,
      state: job.outcome?.state ?? 'error',
      code: error.code,
    });
    await options.chat
      .postMessage(channelFor(options.config, job.repository), content)
      .catch((failure: unknown) =>
        jobLog.warn({ err: failure }, 'could not announce that GitHub refuses the final status'),
      );
  }

  /**
   * Whether GitHub already has the state: a process that posted it and stopped before it could
   * record so leaves it owed, and whoever inherits it must not post it twice. Any of the newest
   * statuses, not only the latest: a later deployment's success puts an `inactive` on top.
   */
  async function alreadyOnGitHub(job: DeployJob, state: DeployJob['postedState']): Promise<boolean> {
    const [owner = '', repo = ''] = job.repository.split('/');
    try {
      const states = await github.listDeploymentStates({ owner, repo }, job.deploymentId);
      return state !== undefined && states.includes(state);
    } catch (error) {
      // Unknown: posting again risks a repeat, not posting risks none at all; GitHub shows the repeat.
      log.warn({ err: error, deployment: job.deploymentId }, 'could not read the statuses before posting');
      return false;
    }
  }

  async function postFinal(deploymentId: number, attempt: number, inherited: boolean): Promise<void> {
    const seen = await retryStore(deploymentId, () => jobs.getDeployJob(deploymentId));
    if (seen?.finalStatus !== 'owed' || !seen.outcome) return;
    // Another process is posting it (or waits to retry it): it is theirs.
    if (!(await claim(deploymentId, options.scheduler.now() + options.claimTtlMs))) return;
    // Read again under the claim: what was read before it may be a claim's lifetime old, and the
    // status posted meanwhile by the process that held it then.
    const job = await retryStore(deploymentId, () => jobs.getDeployJob(deploymentId));
    if (job?.finalStatus !== 'owed' || !job.outcome) return;
    const { state, description, environmentUrl } = job.outcome;
    // A final status already posted (the store failed just after) is not posted again.
    if (!canTransition(job.postedState, state)) {
      await retryStore(deploymentId, () => jobs.settleFinalDeployStatus(deploymentId, 'posted'));
      return;
    }
    // Inherited, or retried after an answer that may have come after GitHub took it: look first.
    if ((inherited || attempt > 0) && (await alreadyOnGitHub(job, state))) {
      await retryStore(deploymentId, () => jobs.recordPostedDeployStatus(deploymentId, state));
      await retryStore(deploymentId, () => jobs.settleFinalDeployStatus(deploymentId, 'posted'));
      return;
    }
    const jobLog = log.child({ deployment: deploymentId, repository: job.repository, state });
    const status = {
      state,
      description,
      ...(state === 'success' && environmentUrl !== undefined ? { environmentUrl } : {}),
    };
    try {
      await github.createDeploymentStatus(buildDeployStatusRequest(job, status, options.publicUrl));
    } catch (thrown) {
      const error = toDeploybotError(thrown);
      const permission = PERMISSION_CODES.has(error.code);
      const withinDay = options.scheduler.now() < (job.finishedAt ?? 0) + PERMISSION_RETRY_MS;
      if (permission && withinDay) {
        jobLog.error(
          { err: error, code: error.code },
          'GitHub refused the final deployment status; retrying',
        );
        await announceRefusal(job, error, jobLog);
      }
      if (!error.retryable && !(permission && withinDay)) {
        jobLog.error(
          { err: error, code: error.code },
          'GitHub refused the final deployment status; giving up',
        );
        await retryStore(deploymentId, () => jobs.settleFinalDeployStatus(deploymentId, 'abandoned'));
        return;
      }
      if (stopping.aborted) return releaseClaim(deploymentId);
      const delayMs = options.retryDelayMs(attempt + 1);
      // Kept until the retry, so no other process posts it meanwhile; theirs once this one is gone.
      await claim(deploymentId, options.scheduler.now() + delayMs + options.claimTtlMs);
      jobLog.warn(
        { code: error.code, attempt: attempt + 1, retryInMs: delayMs },
        'final status not posted; will retry',
      );
      retryLater(deploymentId, attempt + 1, delayMs);
      return;
    }
    // GitHub has it: recorded as posted, so it is neither posted again nor left owed.
    await retryStore(deploymentId, () => jobs.recordPostedDeployStatus(deploymentId, state));
    await retryStore(deploymentId, () => jobs.settleFinalDeployStatus(deploymentId, 'posted'));
    jobLog.info({ description }, 'final deployment status posted');
  }

  return {
    settle: (deploymentId) => enqueue(deploymentId, 0),
    async settleOwed() {
      const owed = await jobs.listDeployJobsOwingFinalStatus(OWED_LIMIT);
      const fresh = owed.filter((job) => !waiting.has(job.deploymentId));
      // Owed from before a restart or by a process that stopped: it may have posted it already.
      await Promise.all(fresh.map((job) => enqueue(job.deploymentId, 0, true)));
    },
    async idle() {
      while (retries.size > 0 || options.queue.size() > 0) {
        await Promise.all([...retries, options.queue.idle()]);
      }
    },
  };
}

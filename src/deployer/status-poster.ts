import { buildLogUrl } from '../core/deploy-log-url.js';
import { canTransition, type DeploymentState, isFinalState } from '../core/deployment-state.js';
import { toDeploybotError } from '../core/errors.js';
import type { DeployJob, DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { GitHubClient } from '../github/client.js';
import { createDeploymentStatus } from '../github/deployment-statuses.js';
import type { Logger } from '../logger.js';
import { retryUntilStopped } from './retry.js';

export interface StatusPosterOptions {
  readonly store: DeployJobStore;
  readonly github: GitHubClient;
  readonly logger: Logger;
  readonly publicUrl: string;
  /** Wait before retry `attempt` (1-based) of a final status GitHub did not take. */
  readonly retryDelayMs: (attempt: number) => number;
  /** Wait before retry `attempt` of a store read or write of the final status's bookkeeping. */
  readonly storeRetryDelayMs: (attempt: number) => number;
}

export interface StatusUpdate {
  readonly state: 'queued' | 'pending';
  readonly description: string;
}

export interface StatusPoster {
  /** Posts a `queued` or `pending` status, best effort: the final status is what must arrive. */
  post(job: DeployJob, update: StatusUpdate): Promise<void>;
  /** Posts the final status a finished job owes, retrying transient failures until it is taken. */
  settle(deploymentId: number): Promise<void>;
  /** Settles every final status still owed, e.g. from before a restart. */
  resumeOwed(): Promise<void>;
  /**
   * Stops retrying (what is in flight gets one last try) and waits for what is in flight;
   * what is still owed stays recorded for the next start.
   */
  stop(): Promise<void>;
}

/**
 * Posts a deployment's statuses one at a time, in order, never going back: a status the
 * transition table does not allow after the last one posted is skipped.
 */
export function createStatusPoster(options: StatusPosterOptions): StatusPoster {
  const { store, github, logger } = options;
  const chains = new Map<number, Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  const stopping = new AbortController();

  function serialize(deploymentId: number, task: () => Promise<void>): Promise<void> {
    const previous = chains.get(deploymentId) ?? Promise.resolve();
    const next = previous.then(task).catch((error: unknown) => {
      logger.error({ err: error, deployment: deploymentId }, 'deployment status bookkeeping failed');
    });
    chains.set(deploymentId, next);
    void next.finally(() => {
      if (chains.get(deploymentId) === next) chains.delete(deploymentId);
    });
    return next;
  }

  /** A store read or write the final status depends on: a passing outage must not lose it. */
  function retryStore<T>(deploymentId: number, task: () => Promise<T>): Promise<T> {
    return retryUntilStopped(task, {
      delayMs: options.storeRetryDelayMs,
      signal: stopping.signal,
      onRetry: (error, attempt, delayMs) =>
        logger.warn(
          { err: error, deployment: deploymentId, attempt, retryInMs: delayMs },
          'final status bookkeeping failed; retrying',
        ),
    });
  }

  function postToGitHub(
    job: DeployJob,
    state: DeploymentState,
    description: string,
    environmentUrl?: string,
  ) {
    return createDeploymentStatus(github, {
      repository: job.repository,
      deploymentId: job.deploymentId,
      state,
      description,
      logUrl: buildLogUrl(options.publicUrl, job.deploymentId, job.logToken),
      ...(environmentUrl === undefined ? {} : { environmentUrl }),
    });
  }

  async function postFinal(deploymentId: number, attempt: number): Promise<void> {
    const job = await retryStore(deploymentId, () => store.getDeployJob(deploymentId));
    if (job?.finalStatus !== 'owed' || !job.outcome) return;
    const posted = job.postedState as DeploymentState | undefined;
    if (posted !== undefined && isFinalState(posted)) {
      await retryStore(deploymentId, () => store.settleFinalDeployStatus(deploymentId, 'posted'));
      return;
    }
    const { state, description, environmentUrl } = job.outcome;
    const log = logger.child({ deployment: deploymentId, repository: job.repository, state });
    try {
      await postToGitHub(job, state, description, state === 'success' ? environmentUrl : undefined);
    } catch (thrown) {
      const error = toDeploybotError(thrown);
      if (!error.retryable) {
        log.error({ err: error, code: error.code }, 'GitHub refused the final deployment status; giving up');
        await retryStore(deploymentId, () => store.settleFinalDeployStatus(deploymentId, 'abandoned'));
        return;
      }
      if (stopping.signal.aborted) return;
      const delayMs = options.retryDelayMs(attempt + 1);
      log.warn(
        { code: error.code, attempt: attempt + 1, retryInMs: delayMs },
        'final status not posted; will retry',
      );
      const timer = setTimeout(() => {
        timers.delete(timer);
        void serialize(deploymentId, () => postFinal(deploymentId, attempt + 1));
      }, delayMs);
      timers.add(timer);
      return;
    }
    // GitHub has it: recorded as posted, so it is neither posted again nor left owed.
    await retryStore(deploymentId, () => store.recordPostedDeployStatus(deploymentId, state));
    await retryStore(deploymentId, () => store.settleFinalDeployStatus(deploymentId, 'posted'));
    log.info({ description }, 'final deployment status posted');
  }

  return {
    post(job, update) {
      return serialize(job.deploymentId, async () => {
        const current = await store.getDeployJob(job.deploymentId);
        const posted = current?.postedState as DeploymentState | undefined;
        if (!current || current.finalStatus !== undefined || !canTransition(posted, update.state)) return;
        if (posted === update.state) return;
        try {
          await postToGitHub(current, update.state, update.description);
          await store.recordPostedDeployStatus(current.deploymentId, update.state);
        } catch (error) {
          logger.warn(
            { err: error, deployment: job.deploymentId, state: update.state },
            'deployment status not posted',
          );
        }
      });
    },
    settle: (deploymentId) => serialize(deploymentId, () => postFinal(deploymentId, 0)),
    async resumeOwed() {
      const owed = await store.listDeployJobsOwingFinalStatus(1000);
      await Promise.all(owed.map((job) => serialize(job.deploymentId, () => postFinal(job.deploymentId, 0))));
    },
    async stop() {
      stopping.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      while (chains.size > 0) await Promise.all([...chains.values()]);
    },
  };
}

import type { JobStateBefore } from '../core/deploy-job-state.js';
import type { DeployJobOutcome, DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { Scheduler } from '../core/scheduler.js';
import type { ReportDeployEnd } from './report-deploy-end.js';
import { retryUntilStopped } from './retry-until-stopped.js';

export interface EndDeployJobOptions {
  readonly jobs: Pick<DeployJobStore, 'finishDeployJob'>;
  readonly scheduler: Pick<Scheduler, 'now' | 'sleep'>;
  /** The wait before retry `attempt` of a store write that must not be lost. */
  readonly storeRetryDelayMs: (attempt: number) => number;
  /** Aborted when deploybot stops: the write gets one last try. */
  readonly stopping: AbortSignal;
  /** Posts the final status the job owes once it is recorded finished. */
  readonly settle: (deploymentId: number) => Promise<void>;
  /** Counts the deploy once it is recorded finished. */
  readonly reportEnd: ReportDeployEnd;
}

export interface JobEnd {
  readonly deploymentId: number;
  readonly from: JobStateBefore<'finish'>;
  readonly outcome: DeployJobOutcome;
  /** The log's closing line, stored in the same write. */
  readonly note: string;
  readonly log: LogPort;
}

/**
 * Finishes a job with its outcome and closing log line (one write), retrying until the store
 * takes it or deploybot stops; then posts the final status. False if the job was not in `from`.
 */
export type EndDeployJob = (end: JobEnd) => Promise<boolean>;

export function createEndDeployJob(options: EndDeployJobOptions): EndDeployJob {
  const { jobs, scheduler } = options;
  return async ({ deploymentId, from, outcome, note, log }) => {
    const finished = await retryUntilStopped(
      () => jobs.finishDeployJob(deploymentId, from, outcome, scheduler.now(), note),
      {
        delayMs: options.storeRetryDelayMs,
        signal: options.stopping,
        sleep: scheduler.sleep,
        onRetry: (error, attempt, delayMs) =>
          log.warn(
            { err: error, attempt, retryInMs: delayMs },
            'could not record the end of a deploy; retrying',
          ),
      },
    );
    log.info({ state: outcome.state, description: outcome.description, finished }, 'deploy ended');
    if (finished) {
      await options.reportEnd(deploymentId, log);
      await options.settle(deploymentId);
    }
    return finished;
  };
}

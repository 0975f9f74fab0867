import { formatClosingNote } from '../core/deploy-log-note.js';
import { describeOutcome } from '../core/deploy-outcome.js';
import type { DeployJob, DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { DeployLeftovers } from '../core/ports/deploy-leftovers.js';
import type { LogPort } from '../core/ports/log.js';
import type { Clock } from '../core/scheduler.js';

export interface RecoverDeployJobsOptions {
  readonly jobs: Pick<DeployJobStore, 'getDeployJob' | 'finishDeployJob'>;
  readonly leftovers: DeployLeftovers;
  readonly clock: Clock;
  readonly log: LogPort;
  /** Told of a job recovered by `retryFailed`: its final status is owed now. */
  readonly settle: (deploymentId: number) => Promise<void>;
}

export interface RecoverDeployJobs {
  /**
   * Ends the given jobs a previous process left running; one the store fails for is kept for
   * `retryFailed`. Their final statuses are left owed, for whoever settles what is owed.
   */
  recover(jobs: readonly DeployJob[]): Promise<void>;
  /** Tries again to end the jobs `recover` could not, and posts their final statuses. */
  retryFailed(): Promise<void>;
}

/**
 * Jobs left `running` by a process that died. Until they end, their lanes stay blocked, so
 * one the store failed for at start is tried again rather than given up.
 */
export function createRecoverDeployJobs(options: RecoverDeployJobsOptions): RecoverDeployJobs {
  const { jobs, log } = options;
  const failed = new Set<number>();

  async function recover(interrupted: readonly DeployJob[], settle: boolean): Promise<void> {
    for (const job of interrupted) {
      try {
        const finished = await endInterrupted(job);
        failed.delete(job.deploymentId);
        if (finished && settle) void options.settle(job.deploymentId);
      } catch (error) {
        failed.add(job.deploymentId);
        log.error({ err: error, deployment: job.deploymentId }, 'could not end an interrupted deploy');
      }
    }
  }

  /**
   * Clears what the job's deploy left behind and finishes it with `error`, its log saying so.
   * True if this call finished it; throws when the store fails, so it is tried again later.
   */
  async function endInterrupted(job: DeployJob): Promise<boolean> {
    await options.leftovers.clear(job);
    const described = describeOutcome({ kind: 'restarted' });
    const note = formatClosingNote(described, []);
    const finished = await jobs.finishDeployJob(
      job.deploymentId,
      'running',
      described,
      options.clock.now(),
      note,
    );
    if (finished) {
      log.warn(
        { deployment: job.deploymentId, repository: job.repository },
        'deploy interrupted by a restart; reporting error',
      );
    }
    return finished;
  }

  return {
    recover: (interrupted) => recover(interrupted, false),
    async retryFailed() {
      if (failed.size === 0) return;
      let found: Array<DeployJob | undefined>;
      try {
        found = await Promise.all([...failed].map((id) => jobs.getDeployJob(id)));
      } catch (error) {
        log.error({ err: error }, 'could not look for interrupted deploys');
        return;
      }
      const stillRunning = found.filter((job): job is DeployJob => job?.state === 'running');
      for (const job of found) if (job && job.state !== 'running') failed.delete(job.deploymentId);
      await recover(stillRunning, true);
    },
  };
}

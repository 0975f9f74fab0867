import { formatClosingNote } from '../core/deploy-log-note.js';
import { describeOutcome } from '../core/deploy-outcome.js';
import type { DeployJob, DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { DeployLeftovers } from '../core/ports/deploy-leftovers.js';
import type { LogPort } from '../core/ports/log.js';
import type { RunnerLiveness } from '../core/ports/runner-liveness.js';
import type { Clock } from '../core/scheduler.js';

export interface TakeOverDeployJobsOptions {
  readonly jobs: Pick<DeployJobStore, 'listUnfinishedDeployJobs' | 'takeOverDeployJob' | 'finishDeployJob'>;
  readonly leftovers: DeployLeftovers;
  readonly liveness: RunnerLiveness;
  readonly clock: Clock;
  readonly log: LogPort;
  /** This process: the jobs it holds are its own, never taken over. */
  readonly runnerId: string;
  /** How long a job taken over is held while it is ended. */
  readonly leaseTtlMs: number;
  /** Whether this process is running the job now (a job it holds but no longer runs is ended). */
  readonly isRunningHere: (deploymentId: number) => boolean;
  /** Told of each job ended here: its final status is owed now. */
  readonly settle: (deploymentId: number) => Promise<void>;
}

/**
 * One look for deploys whose process stopped: a running job whose lease lapsed (or whose runner,
 * on this machine, is gone) is taken over by a conditional write, its processes stopped when
 * they ran on this machine, and finished `error`; its lane is free. A job another live process
 * holds is never touched. Resolves to how many it ended; a failure is thrown, the next look
 * tries again.
 */
export type TakeOverDeployJobs = () => Promise<number>;

const LIST_LIMIT = 1000;

export function createTakeOverDeployJobs(options: TakeOverDeployJobsOptions): TakeOverDeployJobs {
  const { jobs, liveness, log } = options;

  function isAbandoned(job: DeployJob, now: number): boolean {
    if (job.runner === options.runnerId) return !options.isRunningHere(job.deploymentId);
    if (job.leaseExpiresAt === undefined || job.leaseExpiresAt <= now) return true;
    return job.runner !== undefined && liveness.isGone(job.runner);
  }

  /** Takes the job over; true if this process holds it now. */
  async function take(job: DeployJob, now: number): Promise<boolean> {
    if (job.runner === options.runnerId) return true;
    const held = { runner: job.runner, leaseExpiresAt: job.leaseExpiresAt };
    return jobs.takeOverDeployJob(job.deploymentId, held, options.runnerId, now, options.leaseTtlMs);
  }

  async function end(job: DeployJob): Promise<boolean> {
    const jobLog = log.child({ deployment: job.deploymentId, repository: job.repository });
    // Its processes and working copy are on this machine only if its runner was.
    if (job.runner === undefined || liveness.isOnThisHost(job.runner)) await options.leftovers.clear(job);
    const described = describeOutcome({ kind: 'orphaned' });
    const finished = await jobs.finishDeployJob(
      job.deploymentId,
      'running',
      described,
      options.clock.now(),
      formatClosingNote(described, []),
    );
    if (!finished) return false;
    jobLog.warn({ runner: job.runner }, 'the process running the deploy stopped; reporting error');
    void options.settle(job.deploymentId);
    return true;
  }

  return async () => {
    const now = options.clock.now();
    const listed = await jobs.listUnfinishedDeployJobs(LIST_LIMIT);
    let failure: unknown;
    let ended = 0;
    for (const job of listed) {
      if (job.state !== 'running' || !isAbandoned(job, now)) continue;
      try {
        if ((await take(job, now)) && (await end(job))) ended += 1;
      } catch (error) {
        failure ??= error;
        log.error({ err: error, deployment: job.deploymentId }, 'could not take over a stopped deploy');
      }
    }
    if (failure !== undefined) throw failure;
    return ended;
  };
}

import { rm } from 'node:fs/promises';
import { describeOutcome } from '../core/deploy-outcome.js';
import type { DeployJob } from '../core/ports/deploy-job-store.js';
import type { Clock } from '../core/scheduler.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { formatNote } from './log-capture.js';
import { killOrphanedGroup } from './process-tree.js';
import type { StatusPoster } from './status-poster.js';

export interface RecoveryDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly statuses: Pick<StatusPoster, 'settle'>;
}

export interface Recovery {
  /** Ends the given interrupted jobs; one the store fails for is kept for `retryFailed`. */
  recover(jobs: readonly DeployJob[]): Promise<void>;
  /** Tries again to end the jobs `recover` could not, and posts their final statuses. */
  retryFailed(): Promise<void>;
}

/**
 * Jobs left `running` by a process that died. Until they end, their lanes stay blocked, so
 * one the store failed for at start is tried again rather than given up.
 */
export function createRecovery(deps: RecoveryDeps): Recovery {
  const failed = new Set<number>();

  async function recover(jobs: readonly DeployJob[], settle: boolean): Promise<void> {
    for (const job of jobs) {
      try {
        const finished = await recoverInterruptedJob(deps, job);
        failed.delete(job.deploymentId);
        if (finished && settle) void deps.statuses.settle(job.deploymentId);
      } catch (error) {
        failed.add(job.deploymentId);
        deps.logger.error(
          { err: error, deployment: job.deploymentId },
          'could not end an interrupted deploy',
        );
      }
    }
  }

  return {
    recover: (jobs) => recover(jobs, false),
    async retryFailed() {
      if (failed.size === 0) return;
      let jobs: Array<DeployJob | undefined>;
      try {
        jobs = await Promise.all([...failed].map((id) => deps.store.getDeployJob(id)));
      } catch (error) {
        deps.logger.error({ err: error }, 'could not look for interrupted deploys');
        return;
      }
      for (const job of jobs) if (job && job.state !== 'running') failed.delete(job.deploymentId);
      await recover(
        jobs.filter((job): job is DeployJob => job?.state === 'running'),
        true,
      );
    },
  };
}

/**
 * Ends a job a process that died left `running`: stops the processes and removes the
 * working copy it left behind, and finishes it with `error`, its log saying so. True if this
 * call finished it; throws when the store fails, so the caller can try again later.
 */
async function recoverInterruptedJob(deps: RecoveryDeps, job: DeployJob): Promise<boolean> {
  const log = deps.logger.child({ deployment: job.deploymentId, repository: job.repository });
  if (job.pid !== undefined) {
    const killed = await killOrphanedGroup(job.pid, (environ) => isJobEnvironment(environ, job)).catch(
      () => false,
    );
    if (killed) log.warn({ pid: job.pid }, 'stopped the processes an interrupted deploy left running');
  }
  if (job.workDir !== undefined) {
    await rm(job.workDir, { recursive: true, force: true }).catch((error: unknown) => {
      log.warn({ err: error }, 'could not remove the working copy of an interrupted deploy');
    });
  }
  const described = describeOutcome({ kind: 'restarted' });
  const finished = await deps.store.finishDeployJob(
    job.deploymentId,
    'running',
    described,
    deps.clock.now(),
    formatNote(`${described.state}: ${described.description}`, []),
  );
  if (finished) log.warn('deploy interrupted by a restart; reporting error');
  return finished;
}

/** Whether a process environment is that of this job's script or git: it names the job and its token. */
function isJobEnvironment(environ: readonly string[], job: DeployJob): boolean {
  return (
    environ.includes(`DEPLOY_ID=${job.deploymentId}`) &&
    environ.some((entry) => entry.startsWith('DEPLOY_LOG_URL=') && entry.endsWith(`/${job.logToken}`))
  );
}

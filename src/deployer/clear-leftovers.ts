import { rm } from 'node:fs/promises';
import type { DeployJob } from '../core/ports/deploy-job-store.js';
import type { DeployLeftovers } from '../core/ports/deploy-leftovers.js';
import type { LogPort } from '../core/ports/log.js';
import { killOrphanedGroup, type ProcessTime } from './process-tree.js';

/** Clears what a deploy left on this machine when deploybot died under it: processes, working copy. */
export function createClearLeftovers(options: {
  readonly time: ProcessTime;
  readonly log: LogPort;
}): DeployLeftovers {
  return {
    async clear(job) {
      const log = options.log.child({ deployment: job.deploymentId, repository: job.repository });
      if (job.pid !== undefined) {
        const isOurs = (environ: readonly string[]) => isJobEnvironment(environ, job);
        const killed = await killOrphanedGroup(job.pid, isOurs, options.time).catch(() => false);
        if (killed) log.warn({ pid: job.pid }, 'stopped the processes an interrupted deploy left running');
      }
      if (job.workDir !== undefined) {
        await rm(job.workDir, { recursive: true, force: true }).catch((error: unknown) => {
          log.warn({ err: error }, 'could not remove the working copy of an interrupted deploy');
        });
      }
    },
  };
}

/** Whether a process environment is that of this job's script or git: it names the job and its token. */
function isJobEnvironment(environ: readonly string[], job: DeployJob): boolean {
  return (
    environ.includes(`DEPLOY_ID=${job.deploymentId}`) &&
    environ.some((entry) => entry.startsWith('DEPLOY_LOG_URL=') && entry.endsWith(`/${job.logToken}`))
  );
}

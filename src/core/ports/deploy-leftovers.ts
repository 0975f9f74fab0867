import type { DeployJob } from './deploy-job-store.js';

/**
 * What a deploy interrupted by deploybot's death left behind on this machine. Asked only for a
 * job whose runner was on this host (take-over-deploy-jobs checks): a pid of another machine
 * names some unrelated process here.
 */
export interface DeployLeftovers {
  /**
   * Stops the processes the job's deploy left running (only if they still name the job) and
   * removes its working copy. Never throws: what cannot be cleared is logged and left.
   */
  clear(job: DeployJob): Promise<void>;
}

import { buildDeployStatusRequest, type StatusUpdate, statusQueueKey } from '../core/deploy-status.js';
import { canTransition } from '../core/deployment-state.js';
import type { KeyedQueue } from '../core/keyed-queue.js';
import type { DeployJob, DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { GitHubPort } from '../core/ports/github.js';
import type { LogPort } from '../core/ports/log.js';

export interface PostDeployStatusOptions {
  readonly jobs: Pick<DeployJobStore, 'getDeployJob' | 'recordPostedDeployStatus'>;
  readonly github: Pick<GitHubPort, 'createDeploymentStatus'>;
  /** Shared with the final statuses: one deployment's statuses go out one at a time. */
  readonly queue: KeyedQueue;
  readonly log: LogPort;
  readonly publicUrl: string;
}

/** Posts a `queued` or `pending` status, best effort: the final status is what must arrive. */
export type PostDeployStatus = (job: DeployJob, update: StatusUpdate) => Promise<void>;

/**
 * Posts a status of a deployment on its way, after the ones before it, never going back: one
 * the transition table does not allow after the last one posted, or once the job owes its
 * final status, is skipped.
 */
export function createPostDeployStatus(options: PostDeployStatusOptions): PostDeployStatus {
  const { jobs, github, log } = options;
  return (job, update) =>
    options.queue
      .run(statusQueueKey(job.deploymentId), async () => {
        const current = await jobs.getDeployJob(job.deploymentId);
        const posted = current?.postedState;
        if (!current || current.finalStatus !== undefined || !canTransition(posted, update.state)) return;
        if (posted === update.state && update.again !== true) return;
        try {
          await github.createDeploymentStatus(buildDeployStatusRequest(current, update, options.publicUrl));
          await jobs.recordPostedDeployStatus(current.deploymentId, update.state);
        } catch (error) {
          log.warn(
            { err: error, deployment: job.deploymentId, state: update.state },
            'deployment status not posted',
          );
        }
      })
      .catch((error: unknown) => {
        log.error({ err: error, deployment: job.deploymentId }, 'deployment status bookkeeping failed');
      });
}

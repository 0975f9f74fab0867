import { buildLogUrl } from './deploy-log-url.js';
import type { DeploymentState } from './deployment-state.js';
import type { DeployJob } from './ports/deploy-job-store.js';
import type { DeploymentStatusRequest } from './ports/github.js';

/** A status of a deployment on its way: waiting, or started. Best effort; the final one must arrive. */
export interface StatusUpdate {
  readonly state: 'queued' | 'pending';
  readonly description: string;
  /** Posted even when the last status had this state: a waiting job now waits for something else. */
  readonly again?: boolean;
}

/** A status of `job`'s deployment as GitHub is asked to record it, with the link to its log. */
export function buildDeployStatusRequest(
  job: DeployJob,
  status: { readonly state: DeploymentState; readonly description: string; readonly environmentUrl?: string },
  publicUrl: string,
): DeploymentStatusRequest {
  return {
    repository: job.repository,
    deploymentId: job.deploymentId,
    state: status.state,
    description: status.description,
    logUrl: buildLogUrl(publicUrl, job.deploymentId, job.logToken),
    ...(status.environmentUrl === undefined ? {} : { environmentUrl: status.environmentUrl }),
  };
}

/** The key a deployment's statuses are serialised under: one at a time, in order. */
export function statusQueueKey(deploymentId: number): string {
  return `deployment-status:${deploymentId}`;
}

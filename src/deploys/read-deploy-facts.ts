import { buildDeployFacts, type DeployFacts } from '../core/deploy-env.js';
import type { DeployJob, DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { GitHubPort } from '../core/ports/github.js';

export interface ReadDeployFactsOptions {
  readonly github: Pick<GitHubPort, 'getDeployment'>;
  readonly jobs: Pick<DeployJobStore, 'fillDeployJobDetails'>;
  readonly publicUrl: string;
}

/**
 * The facts a deploy is told: the payload, task and creator from the job, or from GitHub when
 * the job was taken in without them (they are kept then, so a second run need not ask).
 */
export async function readDeployFacts(job: DeployJob, options: ReadDeployFactsOptions): Promise<DeployFacts> {
  if (job.payload !== undefined) return buildDeployFacts(job, job, options.publicUrl);
  const found = await options.github.getDeployment(job.repository, job.deploymentId);
  const record = { task: found.task, creator: found.creator, payload: found.payload };
  await options.jobs.fillDeployJobDetails(job.deploymentId, record);
  return buildDeployFacts(job, record, options.publicUrl);
}

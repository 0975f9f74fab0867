import type { DeploymentState } from '../core/deployment-state.js';
import type { GitHubClient } from './client.js';
import { mapGitHubError } from './errors.js';

export interface DeploymentStatusRequest {
  /** `owner/name`. */
  readonly repository: string;
  readonly deploymentId: number;
  readonly state: DeploymentState;
  /** At most 140 characters. */
  readonly description: string;
  readonly logUrl?: string;
  readonly environmentUrl?: string;
}

/** Posts a deployment status; GitHub's refusals come back as DeploybotErrors (see mapGitHubError). */
export async function createDeploymentStatus(
  github: GitHubClient,
  request: DeploymentStatusRequest,
): Promise<{ id: number }> {
  const { owner, repo } = splitRepository(request.repository);
  try {
    const response = await github.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: request.deploymentId,
      state: request.state,
      description: request.description,
      ...(request.logUrl === undefined ? {} : { log_url: request.logUrl }),
      ...(request.environmentUrl === undefined ? {} : { environment_url: request.environmentUrl }),
    });
    return { id: response.data.id };
  } catch (error) {
    throw mapGitHubError(error, { repository: request.repository });
  }
}

/** What GitHub recorded about a deployment, beyond what creating it returned. */
export interface DeploymentRecord {
  readonly id: number;
  readonly sha: string;
  readonly ref: string;
  readonly environment: string;
  readonly task: string;
  readonly payload: unknown;
  readonly creator: string | undefined;
}

export async function getDeployment(
  github: GitHubClient,
  repository: string,
  deploymentId: number,
): Promise<DeploymentRecord> {
  const { owner, repo } = splitRepository(repository);
  try {
    const { data } = await github.rest.repos.getDeployment({ owner, repo, deployment_id: deploymentId });
    return {
      id: data.id,
      sha: data.sha,
      ref: data.ref,
      environment: data.environment,
      task: data.task,
      payload: data.payload,
      creator: data.creator?.login,
    };
  } catch (error) {
    throw mapGitHubError(error, { repository });
  }
}

function splitRepository(repository: string): { owner: string; repo: string } {
  const slash = repository.indexOf('/');
  return { owner: repository.slice(0, slash), repo: repository.slice(slash + 1) };
}

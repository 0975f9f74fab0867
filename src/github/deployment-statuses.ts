import type { DeploymentDetails, DeploymentStatusRequest } from '../core/ports/github.js';
import type { GitHubClient } from './client.js';
import { mapGitHubError } from './errors.js';

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
      // Not retried blindly: a 502 may come after GitHub took it, and a second post is a second
      // status. The final status is retried by its settler, which looks at GitHub first.
      request: { retries: 0 },
    });
    return { id: response.data.id };
  } catch (error) {
    throw mapGitHubError(error, { repository: request.repository });
  }
}

export async function getDeployment(
  github: GitHubClient,
  repository: string,
  deploymentId: number,
): Promise<DeploymentDetails> {
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

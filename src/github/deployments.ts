import { DeploybotError } from '../core/errors.js';
import type { DeploymentRequest } from '../core/merge-deploy.js';
import type { CreatedDeployment } from '../core/ports/github.js';
import type { GitHubClient } from './client.js';
import { mapGitHubError } from './errors.js';

/**
 * Creates a GitHub deployment. GitHub's refusals come back as DeploybotErrors:
 * `github_checks_failed` (details.contexts), `github_no_such_ref`, `github_merge_conflict`,
 * `github_auto_merged` (202), and the access and availability codes.
 */
export async function createDeployment(
  github: GitHubClient,
  request: DeploymentRequest,
): Promise<CreatedDeployment> {
  const repository = `${request.owner}/${request.repo}`;
  let response: Awaited<ReturnType<GitHubClient['rest']['repos']['createDeployment']>>;
  try {
    response = await github.rest.repos.createDeployment({
      owner: request.owner,
      repo: request.repo,
      ref: request.ref,
      environment: request.environment,
      task: request.task,
      auto_merge: request.auto_merge,
      ...(request.required_contexts === undefined
        ? {}
        : { required_contexts: [...request.required_contexts] }),
      description: request.description,
      production_environment: request.production_environment,
      payload: request.payload as unknown as Record<string, unknown>,
    });
  } catch (error) {
    throw mapGitHubError(error, { repository, ref: request.ref });
  }
  if (response.status !== 201 || !('id' in response.data)) {
    const message = (response.data as { message?: string }).message ?? 'GitHub merged instead of deploying';
    throw new DeploybotError('github_auto_merged', message, { details: { repository, ref: request.ref } });
  }
  return toCreatedDeployment(response.data);
}

/** What deploybot keeps of GitHub's deployment object, from any endpoint that returns one. */
export function toCreatedDeployment(d: {
  readonly id: number;
  readonly sha: string;
  readonly ref: string;
  readonly environment: string;
  readonly created_at: string;
  readonly task: string;
  readonly payload: unknown;
  readonly creator: { readonly login: string } | null;
}): CreatedDeployment {
  return {
    id: d.id,
    sha: d.sha,
    ref: d.ref,
    environment: d.environment,
    createdAt: d.created_at,
    task: d.task,
    payload: d.payload,
    ...(d.creator ? { creator: d.creator.login } : {}),
  };
}

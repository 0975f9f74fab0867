import { type DeploymentState, isDeploymentState } from '../core/deployment-state.js';
import type { LatestDeploymentStatus, ListedDeployment, RepoRef } from '../core/ports/github.js';
import type { GitHubClient } from './client.js';
import { toCreatedDeployment } from './deployments.js';
import { mapGitHubError } from './errors.js';

/** Pages read per environment at most: a day of deployments of one environment fits in far fewer. */
const MAX_PAGES = 5;
const PER_PAGE = 100;

/**
 * The deployments of one environment created at or after `since`, newest first: one call per
 * hundred, stopping at the first page that reaches back past `since` (GitHub lists newest first).
 */
export async function listRecentDeployments(
  github: GitHubClient,
  r: RepoRef,
  options: { readonly environment: string; readonly since: number },
): Promise<ListedDeployment[]> {
  const found: ListedDeployment[] = [];
  try {
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { data } = await github.rest.repos.listDeployments({
        owner: r.owner,
        repo: r.repo,
        environment: options.environment,
        per_page: PER_PAGE,
        page,
      });
      for (const d of data) {
        if (Date.parse(d.created_at) < options.since) return found;
        found.push({ ...toCreatedDeployment(d), ...(d.description ? { description: d.description } : {}) });
      }
      if (data.length < PER_PAGE) return found;
    }
    return found;
  } catch (error) {
    throw mapGitHubError(error, { repository: `${r.owner}/${r.repo}` });
  }
}

/**
 * A deployment's newest status, in one call; undefined when it has none yet. Its log is the
 * newest one any status had: GitHub retires old deployments with an `inactive` status that has none.
 */
export async function getLatestDeploymentStatus(
  github: GitHubClient,
  r: RepoRef,
  deploymentId: number,
): Promise<LatestDeploymentStatus | undefined> {
  try {
    const { data } = await github.rest.repos.listDeploymentStatuses({
      owner: r.owner,
      repo: r.repo,
      deployment_id: deploymentId,
      per_page: 10,
    });
    const latest = data[0];
    if (latest === undefined || !isDeploymentState(latest.state)) return undefined;
    const withLog = data.find((s) => s.log_url || s.target_url);
    const logUrl = withLog?.log_url || withLog?.target_url;
    return {
      id: latest.id,
      state: latest.state,
      createdAt: latest.created_at,
      ...(latest.description ? { description: latest.description } : {}),
      ...(logUrl ? { logUrl } : {}),
      ...(latest.environment_url ? { environmentUrl: latest.environment_url } : {}),
    };
  } catch (error) {
    throw mapGitHubError(error, { repository: `${r.owner}/${r.repo}` });
  }
}

/** The states of a deployment's newest hundred statuses, newest first: GitHub lists them so. */
export async function listDeploymentStates(
  github: GitHubClient,
  r: RepoRef,
  deploymentId: number,
): Promise<DeploymentState[]> {
  try {
    const { data } = await github.rest.repos.listDeploymentStatuses({
      owner: r.owner,
      repo: r.repo,
      deployment_id: deploymentId,
      per_page: PER_PAGE,
    });
    return data.map((s) => s.state).filter(isDeploymentState);
  } catch (error) {
    throw mapGitHubError(error, { repository: `${r.owner}/${r.repo}` });
  }
}

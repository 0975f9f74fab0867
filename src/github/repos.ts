import { readDeployUser } from '../core/payload.js';
import type { Comparison, CreatedDeployment, DeploymentRecord, RepoRef } from '../core/ports/github.js';
import type { GitHubClient } from './client.js';
import { toCreatedDeployment } from './deployments.js';
import { mapGitHubError } from './errors.js';
import { githubWebUrlFromApi } from './urls.js';

const fullName = (r: RepoRef) => `${r.owner}/${r.repo}`;

export async function getDefaultBranch(github: GitHubClient, r: RepoRef): Promise<string> {
  try {
    const { data } = await github.rest.repos.get({ owner: r.owner, repo: r.repo });
    return data.default_branch;
  } catch (error) {
    throw mapGitHubError(error, { repository: fullName(r) });
  }
}

/** The commit a branch, tag or sha names; GitHub's 422 for an unknown ref maps to `github_no_such_ref`. */
export async function resolveCommit(github: GitHubClient, r: RepoRef, ref: string): Promise<string> {
  try {
    const { data } = await github.rest.repos.getCommit({ owner: r.owner, repo: r.repo, ref });
    return data.sha;
  } catch (error) {
    throw mapGitHubError(error, { repository: fullName(r), ref });
  }
}

/** The newest deploy task of `sha` to `environment`, if GitHub has one. */
export async function findDeployment(
  github: GitHubClient,
  r: RepoRef,
  sha: string,
  environment: string,
): Promise<CreatedDeployment | undefined> {
  try {
    const { data } = await github.rest.repos.listDeployments({
      owner: r.owner,
      repo: r.repo,
      sha,
      environment,
      task: 'deploy',
      per_page: 1,
    });
    const d = data[0];
    return d && toCreatedDeployment(d);
  } catch (error) {
    throw mapGitHubError(error, { repository: fullName(r) });
  }
}

/** The newest deployments (of one environment, or all), newest first: one call, no statuses. */
export async function listDeployments(
  github: GitHubClient,
  r: RepoRef,
  options: { readonly environment?: string; readonly limit: number },
): Promise<DeploymentRecord[]> {
  try {
    const { data } = await github.rest.repos.listDeployments({
      owner: r.owner,
      repo: r.repo,
      per_page: Math.min(100, options.limit),
      ...(options.environment === undefined ? {} : { environment: options.environment }),
    });
    return data.slice(0, options.limit).map((d) => ({
      id: d.id,
      sha: d.sha,
      ref: d.ref,
      environment: d.environment,
      deployer: readDeployUser(d.payload) ?? d.creator?.login ?? 'someone',
      createdAt: Date.parse(d.created_at),
    }));
  } catch (error) {
    throw mapGitHubError(error, { repository: fullName(r) });
  }
}

/** What `head` adds on top of `base`: GitHub's compare, oldest commit first. */
export async function compareCommits(
  github: GitHubClient,
  r: RepoRef,
  base: string,
  head: string,
): Promise<Comparison> {
  try {
    const { data } = await github.rest.repos.compareCommitsWithBasehead({
      owner: r.owner,
      repo: r.repo,
      basehead: `${base}...${head}`,
      per_page: 100,
    });
    return {
      totalCommits: data.total_commits,
      behindBy: data.behind_by,
      // From GITHUB_API_URL, like every link deploybot gives; GitHub's own may name another host.
      htmlUrl: `${githubWebUrlFromApi(github.request.endpoint.DEFAULTS.baseUrl)}/${fullName(r)}/compare/${base}...${head}`,
      commits: data.commits.map((c) => ({
        sha: c.sha,
        title: (c.commit.message.split('\n')[0] ?? '').trim(),
        author: c.author?.login ?? c.commit.author?.name ?? 'unknown',
      })),
    };
  } catch (error) {
    throw mapGitHubError(error, { repository: fullName(r) });
  }
}

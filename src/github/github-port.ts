import type { GitHubPort } from '../core/ports/github.js';
import { type GitHubAuth, type GitHubClient, getGitToken } from './client.js';
import { createDeploymentStatus, getDeployment } from './deployment-statuses.js';
import { createDeployment } from './deployments.js';
import {
  getLatestDeploymentStatus,
  listDeploymentStates,
  listRecentDeployments,
} from './recent-deployments.js';
import { compareCommits, findDeployment, getDefaultBranch, listDeployments, resolveCommit } from './repos.js';

/** GitHub's REST API behind the port the flows use. */
export function createGitHubPort(github: GitHubClient, auth: GitHubAuth): GitHubPort {
  return {
    getDefaultBranch: (repo) => getDefaultBranch(github, repo),
    resolveCommit: (repo, ref) => resolveCommit(github, repo, ref),
    findDeployment: (repo, sha, environment) => findDeployment(github, repo, sha, environment),
    createDeployment: (request) => createDeployment(github, request),
    listDeployments: (repo, options) => listDeployments(github, repo, options),
    listRecentDeployments: (repo, options) => listRecentDeployments(github, repo, options),
    getLatestDeploymentStatus: (repo, id) => getLatestDeploymentStatus(github, repo, id),
    listDeploymentStates: (repo, id) => listDeploymentStates(github, repo, id),
    getDeployment: (repository, id) => getDeployment(github, repository, id),
    compareCommits: (repo, base, head) => compareCommits(github, repo, base, head),
    createDeploymentStatus: (request) => createDeploymentStatus(github, request),
    gitToken: (repository) => getGitToken(github, auth, repository),
  };
}

import { readPullRequestNumber } from '../core/payload.js';
import type { GitHubPort } from '../core/ports/github.js';
import type { PendingDeploy } from '../core/ports/pending-deploy-store.js';

// Enough to span the merges of a busy afternoon; anything older than the wait cannot supersede it.
const LOOK_BACK = 20;
// GitHub's timestamps are whole seconds.
const SECOND_MS = 1000;

/**
 * The pull request of a later merge whose deployment to the same environment GitHub created
 * while this deploy waited for CI, and whose commit already contains this one: going out now
 * would take that merge back. Deployments no merge asked for (chat deploys, rollbacks) and
 * commits on other lines of history do not count.
 */
export async function findSupersedingMerge(
  github: Pick<GitHubPort, 'listDeployments' | 'getDeployment' | 'compareCommits'>,
  pending: PendingDeploy,
): Promise<number | undefined> {
  const { request } = pending;
  const repo = { owner: request.owner, repo: request.repo };
  const since = Math.floor(pending.createdAt / SECOND_MS) * SECOND_MS;
  const newer = (await github.listDeployments(repo, { environment: request.environment, limit: LOOK_BACK }))
    .filter((d) => d.createdAt >= since && d.sha !== request.ref)
    .reverse();
  // The first one created after the wait began is what superseded it.
  for (const candidate of newer) {
    const details = await github.getDeployment(`${request.owner}/${request.repo}`, candidate.id);
    const pullRequest = readPullRequestNumber(details.payload);
    if (pullRequest === undefined) continue;
    const comparison = await github.compareCommits(repo, request.ref, candidate.sha).catch(() => undefined);
    if (comparison !== undefined && comparison.behindBy === 0 && comparison.totalCommits > 0)
      return pullRequest;
  }
  return undefined;
}

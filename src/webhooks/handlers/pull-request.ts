import type { DeployMergedPullRequest } from '../../deploys/deploy-merged-pull-request.js';
import { parsePayload, pullRequestEventSchema } from '../payloads.js';
import type { RepositoryLinks, WebhookHandler } from './webhook-handler.js';

/** `pull_request`: a merged one is deployed; any other action is not for deploybot. */
export function createPullRequestHandler(
  deployMergedPullRequest: DeployMergedPullRequest,
  links: RepositoryLinks,
): WebhookHandler {
  return async (payload, { finalAttempt, log }) => {
    const event = parsePayload(pullRequestEventSchema, payload, 'pull_request');
    const pr = event.pull_request;
    if (event.action !== 'closed' || pr.merged !== true) {
      log.debug({ action: event.action, merged: pr.merged }, 'pull_request ignored: not a merge');
      return;
    }
    // The base repository, never head.repo: a pull request from a fork is merged into the base.
    const base = pr.base.repo;
    await deployMergedPullRequest({
      pullRequest: {
        repository: base.full_name,
        repositoryUrl: links.repositoryUrl(base.full_name),
        number: pr.number,
        title: pr.title,
        author: pr.user?.login ?? 'unknown',
        baseRef: pr.base.ref,
        mergeCommitSha: pr.merge_commit_sha ?? undefined,
      },
      finalAttempt,
      log,
    });
  };
}

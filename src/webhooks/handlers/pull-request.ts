import { findRepo } from '../../core/config-lookup.js';
import { planMergeDeploys } from '../../core/merge-deploy.js';
import type { WebhookContext } from '../context.js';
import { attemptMergeDeploy } from '../merge-deploys.js';
import { parsePayload, pullRequestEventSchema } from '../payloads.js';

/** A merged pull request deploys its merge commit to each environment configured for its base branch. */
export async function handlePullRequest(ctx: WebhookContext, payload: unknown): Promise<void> {
  const event = parsePayload(pullRequestEventSchema, payload, 'pull_request');
  const pr = event.pull_request;
  if (event.action !== 'closed' || pr.merged !== true) {
    ctx.logger.debug({ action: event.action, merged: pr.merged }, 'pull_request ignored: not a merge');
    return;
  }
  // The base repository, never head.repo: a pull request from a fork is merged into the base.
  const base = pr.base.repo;
  const repo = findRepo(ctx.config, base.full_name);
  if (!repo) {
    ctx.logger.debug({ repository: base.full_name }, 'pull_request ignored: repository not in deploybot.yml');
    return;
  }
  if (!pr.merge_commit_sha) {
    ctx.logger.warn(
      { repository: base.full_name, number: pr.number },
      'merged pull request has no merge commit',
    );
    return;
  }
  const plans = planMergeDeploys(ctx.config, repo, {
    repository: repo.fullName,
    number: pr.number,
    title: pr.title,
    author: pr.user?.login ?? 'unknown',
    baseRef: pr.base.ref,
    mergeCommitSha: pr.merge_commit_sha,
  });
  if (plans.length === 0) {
    ctx.logger.debug(
      { repository: repo.fullName, base: pr.base.ref },
      'pull_request ignored: no environment deploys this branch on merge',
    );
    return;
  }
  for (const plan of plans) {
    await attemptMergeDeploy(ctx, {
      request: plan.request,
      channel: plan.channel,
      repositoryUrl: `${ctx.githubWebUrl}/${base.full_name}`,
    });
  }
}

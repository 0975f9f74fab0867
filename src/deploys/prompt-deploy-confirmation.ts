import { type ChatDeployPlan, findTarget } from '../core/chat-deploy.js';
import { type ConfirmedCommit, renderConfirmation, renderGitHubError } from '../core/command-replies.js';
import { toDeploybotError } from '../core/errors.js';
import { openFreeze } from '../core/freeze.js';
import type { Replier } from '../core/ports/chat.js';
import type { Comparison } from '../core/ports/github.js';
import type { ChatDeployOptions } from './chat-deploy-options.js';
import { openConfirmation } from './open-confirmation.js';

/** Protected environments: shows the asker what would ship, with Deploy and Cancel buttons. */
export async function promptDeployConfirmation(
  deps: ChatDeployOptions,
  plan: ChatDeployPlan,
  reply: Replier,
): Promise<void> {
  const target = { owner: plan.owner, repo: plan.repo };
  let currentSha: string | undefined;
  try {
    const recent = await deps.recentDeployments(target, {
      environment: plan.environment,
      limit: 20,
      until: (d) => d.state === 'success',
    });
    currentSha = recent.find((d) => d.state === 'success')?.sha;
  } catch (error) {
    return reply.private(renderGitHubError(toDeploybotError(error), plan));
  }
  let comparison: Comparison | undefined;
  let compareFailed = false;
  if (currentSha !== undefined && currentSha !== plan.sha) {
    try {
      comparison = await deps.github.compareCommits(target, currentSha, plan.sha);
    } catch (error) {
      // Commits that history rewrites dropped cannot be compared; the prompt says so rather than refuse.
      deps.log.warn(
        { err: error, repository: plan.repository },
        'could not compare commits for a confirmation',
      );
      compareFailed = true;
    }
  }
  const commits: ConfirmedCommit[] = (comparison?.commits ?? []).map((c) => ({
    sha: c.sha,
    message: c.title,
    author: c.author,
  }));
  const now = deps.clock.now();
  const configured = findTarget(deps.config, plan.repository, plan.environment);
  const freeze = configured && openFreeze(configured.environment.freeze, now);
  const id = await openConfirmation(deps, {
    kind: 'deploy',
    userId: plan.userId,
    channel: plan.channel,
    request: plan,
  });
  return reply.private(
    renderConfirmation({
      id,
      repository: plan.repository,
      repositoryUrl: `${deps.githubWebUrl}/${plan.repository}`,
      environment: plan.environment,
      ref: plan.ref,
      sha: plan.sha,
      ...(currentSha === undefined ? {} : { currentSha }),
      commits,
      totalCommits: comparison?.totalCommits ?? 0,
      ...(comparison === undefined ? {} : { compareUrl: comparison.htmlUrl }),
      behindBy: comparison?.behindBy ?? 0,
      compareFailed,
      forced: plan.force,
      rollback: plan.rollback,
      ...(freeze === undefined ? {} : { freeze, now }),
    }),
  );
}

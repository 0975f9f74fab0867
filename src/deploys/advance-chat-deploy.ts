import type { ChatDeployPlan } from '../core/chat-deploy.js';
import { renderApprovalRequest, renderApprovalRequested } from '../core/command-replies.js';
import type { EnvironmentConfig } from '../core/config.js';
import { DeploybotError } from '../core/errors.js';
import { approvedMergeRequest } from '../core/merge-approval.js';
import { approvalsMissing, approversOf, needsApproval } from '../core/policy.js';
import type { Replier } from '../core/ports/chat.js';
import type { ChatDeployOptions } from './chat-deploy-options.js';
import { createChatDeployment } from './create-chat-deployment.js';
import { openConfirmation } from './open-confirmation.js';

/**
 * A plan past its confirmation: approvals are asked for in its channel while any are
 * missing, else it is deployed. `answer` tells the asker (privately) what happened.
 */
export async function advanceChatDeploy(
  deps: ChatDeployOptions,
  plan: ChatDeployPlan,
  environment: EnvironmentConfig,
  answer: Pick<Replier, 'private'>,
): Promise<void> {
  const missing = approvalsMissing(environment, plan.userId, plan.approvedBy);
  const { merge } = plan;
  if (merge !== undefined && missing === 0) {
    if (deps.deployApprovedMerge === undefined) {
      throw new DeploybotError('internal', 'approved merge deploy, but nothing to send it on');
    }
    return deps.deployApprovedMerge(
      { ...merge, request: approvedMergeRequest({ ...plan, merge }) },
      plan.channel,
    );
  }
  if (!needsApproval(environment) || missing === 0) {
    return createChatDeployment(deps, plan, environment, answer);
  }
  const id = await openConfirmation(deps, {
    kind: 'approval',
    userId: plan.userId,
    channel: plan.channel,
    request: plan,
  });
  await deps.chat.postMessage(
    plan.channel,
    renderApprovalRequest({
      id,
      requesterId: plan.userId,
      repository: plan.repository,
      repositoryUrl: `${deps.githubWebUrl}/${plan.repository}`,
      environment: plan.environment,
      ref: plan.ref,
      sha: plan.sha,
      approvalsMissing: missing,
      approvers: approversOf(environment),
      ...(merge === undefined ? {} : { mergedBy: { pullRequest: merge.pullRequest, author: merge.author } }),
    }),
    plan.threadTs === undefined ? {} : { threadTs: plan.threadTs },
  );
  // A merge has nobody in Slack to tell; the request in the channel says it all.
  if (merge !== undefined) return;
  return answer.private(renderApprovalRequested(plan.channel));
}

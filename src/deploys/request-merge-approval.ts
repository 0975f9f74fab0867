import { findTarget } from '../core/chat-deploy.js';
import { planMergeApproval } from '../core/merge-approval.js';
import type { DeploymentRequest } from '../core/merge-deploy.js';
import { advanceChatDeploy } from './advance-chat-deploy.js';
import type { ChatDeployOptions } from './chat-deploy-options.js';

export interface MergeApprovalInput {
  readonly request: DeploymentRequest;
  readonly channel: string;
  readonly repositoryUrl: string;
  readonly pullRequest: number;
}

export type RequestMergeApproval = (input: MergeApprovalInput) => Promise<void>;

/**
 * A merged pull request's deploy into an environment with `approvals`: the channel is asked
 * with the same Approve button, rules and store as a chat deploy (anyone but the author).
 */
export function createRequestMergeApproval(options: ChatDeployOptions): RequestMergeApproval {
  return async (input) => {
    const plan = planMergeApproval(options.config, input);
    const target = findTarget(options.config, plan.repository, plan.environment);
    if (target === undefined) return;
    await advanceChatDeploy(options, plan, target.environment, { private: async () => undefined });
  };
}

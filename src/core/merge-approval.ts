import type { ChatDeployPlan } from './chat-deploy.js';
import type { Config, EnvironmentConfig } from './config.js';
import type { DeploymentRequest } from './merge-deploy.js';
import { approvalsMissing } from './policy.js';

/**
 * Who stands for a pull request's author where approvals are counted: the Slack user
 * deploybot.yml's `users` maps to their GitHub login, else a name no Slack user has, so the
 * author can only be kept from approving their own merge when deploybot knows who they are.
 */
export function mergeRequesterId(config: Config, author: string): string {
  const login = author.toLowerCase();
  const slackUser = Object.entries(config.users).find(([, gh]) => gh.toLowerCase() === login)?.[0];
  return slackUser ?? `github:${author}`;
}

/** Whether a merge deploy has the approvals its environment wants; they travel in its payload. */
export function mergeApproved(
  config: Config,
  environment: EnvironmentConfig,
  request: DeploymentRequest,
): boolean {
  const requester = mergeRequesterId(config, request.payload.deploy_user);
  return approvalsMissing(environment, requester, request.payload.approved_by ?? []) === 0;
}

/** The plan an approval button waits on for a merge deploy. */
export function planMergeApproval(
  config: Config,
  input: {
    readonly request: DeploymentRequest;
    readonly channel: string;
    readonly repositoryUrl: string;
    readonly pullRequest: number;
  },
): ChatDeployPlan {
  const { request } = input;
  const author = request.payload.deploy_user;
  return {
    repository: `${request.owner}/${request.repo}`,
    owner: request.owner,
    repo: request.repo,
    environment: request.environment,
    ref: request.ref,
    sha: request.ref,
    force: false,
    rollback: false,
    userId: mergeRequesterId(config, author),
    deployUser: author,
    channel: input.channel,
    confirmed: true,
    approvedBy: [...(request.payload.approved_by ?? [])],
    merge: { request, repositoryUrl: input.repositoryUrl, pullRequest: input.pullRequest, author },
  };
}

/** The merge's request once approved: the approvers recorded in its payload. */
export function approvedMergeRequest(
  plan: ChatDeployPlan & { readonly merge: NonNullable<ChatDeployPlan['merge']> },
): DeploymentRequest {
  const { request } = plan.merge;
  return { ...request, payload: { ...request.payload, approved_by: [...plan.approvedBy] } };
}

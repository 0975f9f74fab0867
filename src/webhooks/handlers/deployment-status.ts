import type { DeploymentFacts, StatusFacts } from '../../core/announcement.js';
import {
  readDeployUser,
  readForced,
  readNotifyChannel,
  readNotifyThread,
  readNotifyUser,
  readPullRequestNumber,
} from '../../core/payload.js';
import type { AnnounceDeploymentStatus } from '../../deploys/announce-deployment-status.js';
import { deploymentStatusEventSchema, parsePayload } from '../payloads.js';
import type { RepositoryLinks, WebhookHandler } from './webhook-handler.js';

/** `deployment_status`: every status is announced, whoever created the deployment. */
export function createDeploymentStatusHandler(
  announceDeploymentStatus: AnnounceDeploymentStatus,
  links: RepositoryLinks,
): WebhookHandler {
  return async (payload, { log }) => {
    const event = parsePayload(deploymentStatusEventSchema, payload, 'deployment_status');
    const { deployment, deployment_status: status, repository } = event;
    const pullRequest = readPullRequestNumber(deployment.payload);
    const facts: DeploymentFacts = {
      id: deployment.id,
      repository: repository.full_name,
      repositoryUrl: links.repositoryUrl(repository.full_name),
      ref: deployment.ref,
      sha: deployment.sha,
      environment: deployment.environment,
      task: deployment.task,
      deployer: readDeployUser(deployment.payload) ?? deployment.creator?.login ?? 'someone',
      createdAt: deployment.created_at,
      forced: readForced(deployment.payload),
      ...(pullRequest === undefined ? {} : { pullRequest }),
      ...(deployment.description ? { description: deployment.description } : {}),
    };
    const logUrl = status.log_url || status.target_url;
    const statusFacts: StatusFacts = {
      id: status.id,
      state: status.state,
      createdAt: status.created_at,
      ...(status.description ? { description: status.description } : {}),
      ...(logUrl ? { logUrl } : {}),
      ...(status.environment_url ? { environmentUrl: status.environment_url } : {}),
    };
    await announceDeploymentStatus({
      deployment: facts,
      status: statusFacts,
      notifyChannel: readNotifyChannel(deployment.payload),
      ...thread(readNotifyThread(deployment.payload)),
      ...asker(readNotifyUser(deployment.payload)),
      creator: deployment.creator?.login,
      log,
    });
  };
}

function thread(threadTs: string | undefined): { notifyThreadTs?: string } {
  return threadTs === undefined ? {} : { notifyThreadTs: threadTs };
}

function asker(userId: string | undefined): { notifyUser?: string } {
  return userId === undefined ? {} : { notifyUser: userId };
}

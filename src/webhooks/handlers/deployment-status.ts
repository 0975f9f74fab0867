import type { DeploymentFacts, StatusFacts } from '../../core/announcement.js';
import { channelFor } from '../../core/config-lookup.js';
import { readDeployUser, readForced, readNotifyChannel, readPullRequestNumber } from '../../core/payload.js';
import type { WebhookContext } from '../context.js';
import { deploymentStatusEventSchema, parsePayload } from '../payloads.js';

/** Every deployment status is announced, whoever created the deployment. */
export async function handleDeploymentStatus(ctx: WebhookContext, payload: unknown): Promise<void> {
  const event = parsePayload(deploymentStatusEventSchema, payload, 'deployment_status');
  const { deployment, deployment_status: status, repository } = event;
  // Where the deployment asked to be announced, else the repository's channel, else the default one.
  const channels = [
    ...new Set(
      [
        readNotifyChannel(deployment.payload),
        channelFor(ctx.config, repository.full_name),
        ctx.config.slack.channel,
      ].filter((c): c is string => c !== undefined),
    ),
  ];
  const pullRequest = readPullRequestNumber(deployment.payload);
  const facts: DeploymentFacts = {
    id: deployment.id,
    repository: repository.full_name,
    repositoryUrl: `${ctx.githubWebUrl}/${repository.full_name}`,
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
  await ctx.announcer.announceDeploymentStatus(channels, facts, statusFacts);
}

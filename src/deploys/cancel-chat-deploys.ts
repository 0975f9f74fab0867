import type { ChatAsker } from '../core/chat-deploy.js';
import { renderDeploysCancelled, renderNothingToCancel, renderRefusal } from '../core/command-replies.js';
import type { Config, EnvironmentConfig, RepoConfig } from '../core/config.js';
import { checkDeployPermission } from '../core/policy.js';
import type { ChatPort, Replier } from '../core/ports/chat.js';
import { askerFor } from './asker-for.js';
import { deployUserOf } from './deploy-user-of.js';

export interface CancelChatDeploysOptions {
  readonly config: Config;
  readonly chat: ChatPort;
  /** The deployer's cancel: drops queued deploys and stops running ones there; the ids it cancelled. */
  readonly cancelDeploys: (
    target: { readonly repository: string; readonly environment: string },
    by: string,
  ) => Promise<readonly number[]>;
}

export type CancelChatDeploys = (
  request: { readonly repo: RepoConfig; readonly environment: EnvironmentConfig },
  asker: ChatAsker,
  reply: Replier,
) => Promise<void>;

/** `cancel REPO [in ENV]`: those who may deploy there may stop what is queued or running there. */
export function createCancelChatDeploys(options: CancelChatDeploysOptions): CancelChatDeploys {
  return async ({ repo, environment }, asker, reply) => {
    const permission = checkDeployPermission(await askerFor(options.chat, environment, asker.userId));
    if (!permission.allowed) return reply.private(renderRefusal(permission));
    const cancelled = await options.cancelDeploys(
      { repository: repo.fullName, environment: environment.name },
      await deployUserOf(options, asker),
    );
    const place = { repository: repo.fullName, environment: environment.name };
    return cancelled.length === 0
      ? reply.private(renderNothingToCancel(place.repository, place.environment))
      : reply.public(renderDeploysCancelled({ ...place, userId: asker.userId, deploymentIds: cancelled }));
  };
}

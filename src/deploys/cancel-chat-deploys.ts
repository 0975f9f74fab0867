import type { ChatAsker } from '../core/chat-deploy.js';
import { renderDeploysCancelled, renderNothingToCancel, renderRefusal } from '../core/command-replies.js';
import type { Config, EnvironmentConfig, RepoConfig } from '../core/config.js';
import { isOwnDeploy } from '../core/deploy-owner.js';
import { laneOf } from '../core/deploy-queue.js';
import { canCancelOthers, checkDeployPermission, identify } from '../core/policy.js';
import type { ChatPort, Replier } from '../core/ports/chat.js';
import type { DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { LockStore } from '../core/ports/lock-store.js';
import type { Clock } from '../core/scheduler.js';
import { askerFor } from './asker-for.js';
import { deployUserOf } from './deploy-user-of.js';

export interface CancelChatDeploysOptions {
  readonly config: Config;
  readonly chat: ChatPort;
  readonly store: Pick<LockStore, 'getLock'> & Pick<DeployJobStore, 'listUnfinishedDeployJobs'>;
  readonly clock: Clock;
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

// As many as the deployer's cancel looks at.
const LIST_LIMIT = 1000;

/**
 * `cancel REPO [in ENV]`: those who may deploy there may stop what they asked for there;
 * stopping someone else's needs the environment's admins or its lock holder.
 */
export function createCancelChatDeploys(options: CancelChatDeploysOptions): CancelChatDeploys {
  return async ({ repo, environment }, asker, reply) => {
    const policyAsker = await askerFor(options.chat, environment, asker.userId);
    const permission = checkDeployPermission(policyAsker);
    if (!permission.allowed) return reply.private(renderRefusal(permission));
    const by = await deployUserOf(options, asker);
    const identity = identify(options.config, asker.userId, by);
    const lane = laneOf(repo.fullName, environment.name);
    const there = (await options.store.listUnfinishedDeployJobs(LIST_LIMIT)).filter((j) => j.lane === lane);
    if (there.some((job) => !isOwnDeploy(job, identity))) {
      const lock = await options.store.getLock(repo.fullName, environment.name);
      const others = canCancelOthers(policyAsker, lock, options.clock.now());
      if (!others.allowed) return reply.private(renderRefusal(others));
    }
    const cancelled = await options.cancelDeploys(
      { repository: repo.fullName, environment: environment.name },
      by,
    );
    const place = { repository: repo.fullName, environment: environment.name };
    return cancelled.length === 0
      ? reply.private(renderNothingToCancel(place.repository, place.environment))
      : reply.public(renderDeploysCancelled({ ...place, userId: asker.userId, deploymentIds: cancelled }));
  };
}

import { announcementChannel, type ChatAsker, type ChatDeployPlan } from '../core/chat-deploy.js';
import { renderGitHubError, renderRefusal } from '../core/command-replies.js';
import type { EnvironmentConfig, RepoConfig } from '../core/config.js';
import { toDeploybotError } from '../core/errors.js';
import { openFreeze } from '../core/freeze.js';
import { needsConfirmation } from '../core/policy.js';
import type { Replier } from '../core/ports/chat.js';
import { advanceChatDeploy } from './advance-chat-deploy.js';
import type { ChatDeployOptions } from './chat-deploy-options.js';
import { deployUserOf } from './deploy-user-of.js';
import { promptDeployConfirmation } from './prompt-deploy-confirmation.js';
import { refuseChatDeploy } from './refuse-chat-deploy.js';

export interface ChatDeployRequest {
  readonly repo: RepoConfig;
  readonly environment: EnvironmentConfig;
  /** Undefined: the default branch (or, for a rollback, the sha). */
  readonly ref?: string;
  /** A rollback names the exact commit to go back to. */
  readonly sha?: string;
  readonly force: boolean;
  readonly rollback: boolean;
}

export type RequestChatDeploy = (
  request: ChatDeployRequest,
  asker: ChatAsker,
  reply: Replier,
) => Promise<void>;

/**
 * A deploy asked for in chat: permission, lock, ref, then confirmation and approval where
 * the environment wants them, then GitHub. Every outcome is answered in words.
 */
export function createRequestChatDeploy(options: ChatDeployOptions): RequestChatDeploy {
  return async (request, asker, reply) => {
    const { repo, environment } = request;
    const refused = await refuseChatDeploy(
      options,
      {
        repository: repo.fullName,
        environment: environment.name,
        userId: asker.userId,
        force: request.force,
      },
      environment,
    );
    if (refused !== undefined) return reply.private(renderRefusal(refused));

    const target = { owner: repo.owner, repo: repo.name };
    let ref: string;
    let sha: string;
    try {
      ref = request.ref ?? request.sha ?? (await options.github.getDefaultBranch(target));
      sha = request.sha ?? (await options.github.resolveCommit(target, ref));
    } catch (error) {
      return reply.private(
        renderGitHubError(toDeploybotError(error), {
          repository: repo.fullName,
          environment: environment.name,
          ...(request.ref ? { ref: request.ref } : {}),
        }),
      );
    }
    const plan: ChatDeployPlan = {
      repository: repo.fullName,
      owner: repo.owner,
      repo: repo.name,
      environment: environment.name,
      ref,
      sha,
      force: request.force,
      rollback: request.rollback,
      userId: asker.userId,
      deployUser: await deployUserOf(options, asker),
      channel: announcementChannel(options.config, asker.channel, repo.fullName),
      ...(asker.threadTs === undefined ? {} : { threadTs: asker.threadTs }),
      ...(asker.inThread === true && asker.threadTs !== undefined
        ? { announceThreadTs: asker.threadTs }
        : {}),
      confirmed: false,
      approvedBy: [],
    };
    // An admin's deploy past a freeze is confirmed first, whatever the environment says: the prompt names the freeze.
    const frozen = openFreeze(environment.freeze, options.clock.now()) !== undefined;
    if (needsConfirmation(environment) || frozen) return promptDeployConfirmation(options, plan, reply);
    return advanceChatDeploy(options, plan, environment, reply);
  };
}

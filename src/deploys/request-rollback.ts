import type { ChatAsker } from '../core/chat-deploy.js';
import { renderRefusal } from '../core/command-replies.js';
import type { EnvironmentConfig, RepoConfig } from '../core/config.js';
import type { Replier } from '../core/ports/chat.js';
import { pickRollbackTarget } from '../core/rollback.js';
import type { ReadRecentDeployments } from './read-recent-deployments.js';
import type { RequestChatDeploy } from './request-chat-deploy.js';

export interface RequestRollbackOptions {
  readonly recentDeployments: ReadRecentDeployments;
  /** The rollback is a chat deploy of the commit it goes back to. */
  readonly requestChatDeploy: RequestChatDeploy;
}

export type RequestRollback = (
  request: { readonly repo: RepoConfig; readonly environment: EnvironmentConfig },
  asker: ChatAsker,
  reply: Replier,
) => Promise<void>;

/** `rollback REPO [in ENV]`: redeploys the last commit that went live there before the one live now. */
export function createRequestRollback(options: RequestRollbackOptions): RequestRollback {
  return async ({ repo, environment }, asker, reply) => {
    const records = await options.recentDeployments(
      { owner: repo.owner, repo: repo.name },
      { environment: environment.name, limit: 30 },
    );
    const pick = pickRollbackTarget(records.map((d) => ({ ...d, state: d.state ?? 'pending' })));
    if (pick.target === undefined) return reply.private(renderRefusal(pick));
    return options.requestChatDeploy(
      { repo, environment, ref: pick.target.ref, sha: pick.target.sha, force: false, rollback: true },
      asker,
      reply,
    );
  };
}

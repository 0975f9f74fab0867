import { renderGitHubError, renderWhere, summarizeDeployment } from '../core/command-replies.js';
import type { RepoConfig } from '../core/config.js';
import { toDeploybotError } from '../core/errors.js';
import { freezeFacts } from '../core/freeze-text.js';
import { activeLock } from '../core/lock.js';
import type { Replier } from '../core/ports/chat.js';
import type { LockStore } from '../core/ports/lock-store.js';
import type { Clock } from '../core/scheduler.js';
import type { ReadRecentDeployments } from './read-recent-deployments.js';

export interface ShowWhereOptions {
  readonly recentDeployments: ReadRecentDeployments;
  readonly store: LockStore;
  readonly clock: Clock;
  readonly githubWebUrl: string;
}

export type ShowWhere = (repo: RepoConfig, reply: Replier) => Promise<void>;

/** `where REPO`: what runs in each environment, from GitHub, the source of truth, with the locks only deploybot knows. */
export function createShowWhere(options: ShowWhereOptions): ShowWhere {
  const { recentDeployments, store, clock } = options;
  return async (repo, reply) => {
    const now = clock.now();
    try {
      const locks = await store.listLocks(repo.fullName);
      const environments = await Promise.all(
        repo.environments.map(async (environment) => {
          const recent = await recentDeployments(
            { owner: repo.owner, repo: repo.name },
            { environment: environment.name, limit: 10, until: (d) => d.state === 'success' },
          );
          // What runs there now: the newest deployment that succeeded; a newer one may still be on its way.
          const current = recent.find((d) => d.state === 'success') ?? recent[0];
          const lock = activeLock(
            locks.find((l) => l.environment === environment.name),
            now,
          );
          return {
            name: environment.name,
            ...(current === undefined ? {} : { current: summarizeDeployment(current) }),
            ...(lock === undefined ? {} : { lock }),
            ...(environment.freeze.length === 0 ? {} : { freezes: freezeFacts(environment.freeze, now) }),
          };
        }),
      );
      const repositoryUrl = `${options.githubWebUrl}/${repo.fullName}`;
      await reply.private(renderWhere({ repository: repo.fullName, repositoryUrl, environments, now }));
    } catch (error) {
      await reply.private(
        renderGitHubError(toDeploybotError(error), {
          repository: repo.fullName,
          environment: 'any environment',
        }),
      );
    }
  };
}

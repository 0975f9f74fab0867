import {
  HISTORY_LIMIT,
  renderGitHubError,
  renderHistory,
  summarizeDeployment,
} from '../core/command-replies.js';
import type { EnvironmentConfig, RepoConfig } from '../core/config.js';
import { toDeploybotError } from '../core/errors.js';
import type { Replier } from '../core/ports/chat.js';
import type { Clock } from '../core/scheduler.js';
import type { ReadRecentDeployments } from './read-recent-deployments.js';

export interface ShowHistoryOptions {
  readonly recentDeployments: ReadRecentDeployments;
  readonly clock: Clock;
  readonly githubWebUrl: string;
}

export type ShowHistory = (
  request: { readonly repo: RepoConfig; readonly environment?: EnvironmentConfig },
  reply: Replier,
) => Promise<void>;

/** `history REPO [in ENV]`: the last deployments, from GitHub. */
export function createShowHistory(options: ShowHistoryOptions): ShowHistory {
  return async ({ repo, environment }, reply) => {
    try {
      const records = await options.recentDeployments(
        { owner: repo.owner, repo: repo.name },
        { ...(environment === undefined ? {} : { environment: environment.name }), limit: HISTORY_LIMIT },
      );
      await reply.private(
        renderHistory({
          repository: repo.fullName,
          repositoryUrl: `${options.githubWebUrl}/${repo.fullName}`,
          ...(environment === undefined ? {} : { environment: environment.name }),
          entries: records.map((d) => ({ ...summarizeDeployment(d), environment: d.environment })),
          now: options.clock.now(),
        }),
      );
    } catch (error) {
      await reply.private(
        renderGitHubError(toDeploybotError(error), {
          repository: repo.fullName,
          environment: environment?.name ?? 'any environment',
        }),
      );
    }
  };
}

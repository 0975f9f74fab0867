import { renderGitHubError } from '../core/command-replies.js';
import { HISTORY_LIMIT, renderHistory, renderWhere } from '../core/command-replies-status.js';
import type { EnvironmentConfig, RepoConfig } from '../core/config.js';
import { toDeploybotError } from '../core/errors.js';
import { activeLock } from '../core/lock-policy.js';
import type { DeploymentSummary } from '../core/ports/github.js';
import type { LockStore } from '../core/ports/lock-store.js';
import { pickRollbackTarget } from '../core/rollback.js';
import type { Clock } from '../core/scheduler.js';
import type { GitHubClient } from '../github/client.js';
import { listDeployments } from '../github/repos.js';
import type { Replier } from './replies.js';

export interface ChatQueriesOptions {
  readonly github: GitHubClient;
  readonly store: LockStore;
  readonly clock: Clock;
  readonly githubWebUrl: string;
}

const summaryOf = (d: DeploymentSummary) => ({
  ref: d.ref,
  sha: d.sha,
  deployUser: d.deployer,
  createdAt: d.createdAt,
  state: d.state ?? 'pending',
  ...(d.logUrl === undefined ? {} : { logUrl: d.logUrl }),
});

/** `where` and `history`: read from GitHub, the source of truth, with the locks only deploybot knows. */
export function createChatQueries(options: ChatQueriesOptions) {
  const { github, store, clock } = options;
  const target = (repo: RepoConfig) => ({ owner: repo.owner, repo: repo.name });
  const repositoryUrl = (repo: RepoConfig) => `${options.githubWebUrl}/${repo.fullName}`;

  async function where(repo: RepoConfig, reply: Replier): Promise<void> {
    const now = clock.now();
    try {
      const locks = await store.listLocks(repo.fullName);
      const environments = await Promise.all(
        repo.environments.map(async (environment) => {
          const recent = await listDeployments(github, target(repo), {
            environment: environment.name,
            limit: 10,
          });
          // What runs there now: the newest deployment that succeeded; a newer one may still be on its way.
          const current = recent.find((d) => d.state === 'success') ?? recent[0];
          const lock = activeLock(
            locks.find((l) => l.environment === environment.name),
            now,
          );
          return {
            name: environment.name,
            ...(current === undefined ? {} : { current: summaryOf(current) }),
            ...(lock === undefined ? {} : { lock }),
          };
        }),
      );
      await reply.private(
        renderWhere({ repository: repo.fullName, repositoryUrl: repositoryUrl(repo), environments, now }),
      );
    } catch (error) {
      await reply.private(
        renderGitHubError(toDeploybotError(error), {
          repository: repo.fullName,
          environment: 'any environment',
        }),
      );
    }
  }

  async function history(
    repo: RepoConfig,
    environment: EnvironmentConfig | undefined,
    reply: Replier,
  ): Promise<void> {
    try {
      const records = await listDeployments(github, target(repo), {
        ...(environment === undefined ? {} : { environment: environment.name }),
        limit: HISTORY_LIMIT,
      });
      await reply.private(
        renderHistory({
          repository: repo.fullName,
          repositoryUrl: repositoryUrl(repo),
          ...(environment === undefined ? {} : { environment: environment.name }),
          entries: records.map((d) => ({ ...summaryOf(d), environment: d.environment })),
          now: clock.now(),
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
  }

  /** The commit a rollback goes back to: the last successful one before what runs now. */
  async function findRollbackTarget(
    repo: RepoConfig,
    environment: EnvironmentConfig,
  ): Promise<{ sha: string; ref: string } | { reason: string }> {
    const records = await listDeployments(github, target(repo), { environment: environment.name, limit: 30 });
    const pick = pickRollbackTarget(records.map((d) => ({ ...d, state: d.state ?? 'pending' })));
    if (pick.target === undefined) return { reason: pick.reason };
    return { sha: pick.target.sha, ref: pick.target.ref };
  }

  return { where, history, findRollbackTarget };
}

export type ChatQueries = ReturnType<typeof createChatQueries>;

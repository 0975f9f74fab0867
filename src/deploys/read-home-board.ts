import { boardActionsFor, currentAndRunning, maySeeEnvironment } from '../core/board-facts.js';
import type { Config, EnvironmentConfig, RepoConfig } from '../core/config.js';
import { freezeFacts } from '../core/freeze-text.js';
import type { Board, BoardEnvironment, BoardRepository } from '../core/home-board.js';
import { activeLock, type Lock } from '../core/lock.js';
import type { ChatPort } from '../core/ports/chat.js';
import type { DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { DeploymentSummary } from '../core/ports/github.js';
import type { LockStore } from '../core/ports/lock-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { PendingDeployStore } from '../core/ports/pending-deploy-store.js';
import { repoKey } from '../core/repo-key.js';
import type { Clock } from '../core/scheduler.js';
import { askerFor } from './asker-for.js';
import type { ReadRecentDeployments } from './read-recent-deployments.js';

/** How many unfinished deploy jobs are looked at to count each environment's queue. */
const QUEUE_SCAN_LIMIT = 1_000;
/** GitHub's deployments are read this many environments at a time. */
const GITHUB_PARALLEL = 8;

export interface ReadHomeBoardOptions {
  readonly config: Config;
  readonly recentDeployments: ReadRecentDeployments;
  readonly chat: ChatPort;
  readonly store: Pick<LockStore, 'listLocks'> &
    Pick<DeployJobStore, 'listUnfinishedDeployJobs'> &
    Pick<PendingDeployStore, 'listPendingDeploysTo'>;
  readonly clock: Clock;
  readonly githubWebUrl: string;
  readonly log: LogPort;
  /**
   * How long an environment's deployments, as GitHub listed them, are reused: every change
   * to them comes as a webhook that forgets them, so this only bounds a missed one.
   */
  readonly deploymentsMaxAgeMs: number;
}

/** The facts of every configured environment, the same for every viewer. */
interface EnvironmentFacts extends Omit<BoardEnvironment, 'actions'> {
  readonly config: EnvironmentConfig;
  readonly activeLock: Lock | undefined;
}

interface RepositoryFacts {
  readonly repo: RepoConfig;
  readonly environments: readonly EnvironmentFacts[];
}

export interface HomeFacts {
  readonly now: number;
  readonly repositories: readonly RepositoryFacts[];
}

export interface ReadHomeBoard {
  /** What runs, deploys, waits, locks and freezes everywhere: read once for all the boards of a refresh. */
  readFacts(): Promise<HomeFacts>;
  /** The facts as `userId` may see them, with the buttons they may press. */
  boardFor(userId: string, facts: HomeFacts): Promise<Board>;
  /** A deployment there changed: the next facts ask GitHub again. */
  forgetDeployments(repository: string, environment: string): void;
}

async function inBatches<T, R>(items: readonly T[], size: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map(f))));
  return out;
}

/**
 * The App Home board's facts: deployments from GitHub (the source of truth), the queue, locks
 * and CI waits only deploybot knows, freezes from deploybot.yml; then, per viewer, the
 * environments they may see and the buttons chat's policy allows them.
 */
export function createReadHomeBoard(options: ReadHomeBoardOptions): ReadHomeBoard {
  const { config, store, clock, log } = options;
  // A board of 50 repositories × 4 environments is 200 GitHub requests: asked again only where something changed.
  const deployments = new Map<string, { readonly at: number; readonly recent: DeploymentSummary[] }>();
  const laneOf = (repository: string, environment: string) => `${repoKey(repository)}\n${environment}`;

  async function recentDeployments(
    repo: RepoConfig,
    environment: string,
    now: number,
  ): Promise<DeploymentSummary[]> {
    const key = laneOf(repo.fullName, environment);
    const cached = deployments.get(key);
    if (cached && now - cached.at < options.deploymentsMaxAgeMs) return cached.recent;
    try {
      // Up to what runs there now: a newer one is on its way, older ones are not shown.
      const recent = await options.recentDeployments(
        { owner: repo.owner, repo: repo.name },
        { environment, limit: 10, until: (d) => d.state === 'success' },
      );
      deployments.set(key, { at: now, recent });
      return recent;
    } catch (error) {
      // One repository GitHub cannot show leaves the rest of the board standing.
      log.warn({ err: error, repository: repo.fullName, environment }, 'board: deployments unreadable');
      return cached?.recent ?? [];
    }
  }

  async function readFacts(): Promise<HomeFacts> {
    const now = clock.now();
    const jobs = await store.listUnfinishedDeployJobs(QUEUE_SCAN_LIMIT);
    const queued = new Map<string, number>();
    for (const job of jobs) {
      if (job.state !== 'queued') continue;
      const key = laneOf(job.repository, job.environment);
      queued.set(key, (queued.get(key) ?? 0) + 1);
    }
    const pairs = config.repos.flatMap((repo) =>
      repo.environments.map((environment) => ({ repo, environment })),
    );
    const locksByRepo = new Map(
      await Promise.all(
        config.repos.map(async (repo) => [repo.fullName, await store.listLocks(repo.fullName)] as const),
      ),
    );
    const facts = await inBatches(
      pairs,
      GITHUB_PARALLEL,
      async ({ repo, environment }): Promise<EnvironmentFacts> => {
        const recent = await recentDeployments(repo, environment.name, now);
        const lock = activeLock(
          locksByRepo.get(repo.fullName)?.find((l) => l.environment === environment.name),
          now,
        );
        const waits = await store.listPendingDeploysTo(repo.fullName, environment.name);
        const freezes = freezeFacts(environment.freeze, now);
        const next = freezes.upcoming[0];
        return {
          environment: environment.name,
          config: environment,
          activeLock: lock,
          ...currentAndRunning(recent),
          queued: queued.get(laneOf(repo.fullName, environment.name)) ?? 0,
          ...(lock === undefined ? {} : { lock }),
          ...(freezes.open === undefined ? {} : { freeze: freezes.open }),
          ...(next === undefined ? {} : { nextFreeze: next }),
          ciWaits: waits.map((w) => ({ sha: w.sha, waitingFor: w.waitingFor })),
        };
      },
    );
    let at = 0;
    const repositories = config.repos.map((repo) => {
      const environments = facts.slice(at, at + repo.environments.length);
      at += repo.environments.length;
      return { repo, environments };
    });
    return { now, repositories };
  }

  async function boardFor(userId: string, facts: HomeFacts): Promise<Board> {
    const repositories: BoardRepository[] = [];
    for (const { repo, environments } of facts.repositories) {
      const shown: BoardEnvironment[] = [];
      for (const env of environments) {
        const asker = await askerFor(options.chat, env.config, userId);
        if (!maySeeEnvironment(asker)) continue;
        const { config: _config, activeLock: lock, ...board } = env;
        shown.push({ ...board, actions: boardActionsFor(asker, lock, facts.now) });
      }
      if (shown.length > 0)
        repositories.push({
          repository: repo.fullName,
          repositoryUrl: `${options.githubWebUrl}/${repo.fullName}`,
          environments: shown,
        });
    }
    return { repositories, now: facts.now, timeZone: 'UTC' };
  }

  return {
    readFacts,
    boardFor,
    forgetDeployments: (repository, environment) => {
      deployments.delete(laneOf(repository, environment));
    },
  };
}

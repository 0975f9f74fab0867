import { isWaiting } from '../core/deploy-job-state.js';
import { activeLock } from '../core/lock.js';
import type { DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { LockStore } from '../core/ports/lock-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { Clock } from '../core/scheduler.js';

export interface ScrapeSources {
  readonly jobs: Pick<DeployJobStore, 'listUnfinishedDeployJobs'>;
  readonly locks: Pick<LockStore, 'listLocks'>;
  /** The repositories of deploybot.yml: locks are kept per repository. */
  readonly repositories: readonly string[];
  readonly clock: Clock;
  readonly log: LogPort;
}

export interface ScrapeGauges {
  readonly waiting: number;
  readonly running: number;
  readonly oldestWaitMs: number;
  readonly locksByRepository: ReadonlyMap<string, number>;
}

const LIST_LIMIT = 10_000;

/** The queue and the locks as the store has them now; undefined (and a warning) when it does not answer. */
export async function readScrapeGauges(sources: ScrapeSources): Promise<ScrapeGauges | undefined> {
  try {
    const now = sources.clock.now();
    const unfinished = await sources.jobs.listUnfinishedDeployJobs(LIST_LIMIT);
    const waiting = unfinished.filter((job) => isWaiting(job.state));
    const oldest = Math.min(...waiting.map((job) => job.enqueuedAt));
    const locksByRepository = new Map<string, number>();
    for (const repository of sources.repositories) {
      const locks = await sources.locks.listLocks(repository);
      locksByRepository.set(repository, locks.filter((lock) => activeLock(lock, now) !== undefined).length);
    }
    return {
      waiting: waiting.length,
      running: unfinished.length - waiting.length,
      oldestWaitMs: waiting.length === 0 ? 0 : Math.max(0, now - oldest),
      locksByRepository,
    };
  } catch (error) {
    sources.log.warn({ err: error }, 'metrics: the store did not answer; queue and lock gauges left out');
    return undefined;
  }
}

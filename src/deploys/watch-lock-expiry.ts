import type { Config } from '../core/config.js';
import { HOUR_MS } from '../core/duration.js';
import type { LockStore } from '../core/ports/lock-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { Scheduler } from '../core/scheduler.js';

export interface WatchLockExpiryOptions {
  readonly config: Config;
  readonly store: LockStore;
  readonly scheduler: Scheduler;
  readonly log: LogPort;
  /** Lapses the locks past their expiry, announcing each (the sweep's own work). */
  readonly expireLocks: () => Promise<void>;
}

export interface LockExpiryWatch {
  /** Runs until `signal` aborts; never rejects. */
  readonly run: (signal: AbortSignal) => Promise<void>;
  /** A lock was taken: its expiry may be the next one. */
  readonly nudge: () => void;
}

// Locks taken elsewhere (another replica) are seen at the latest this late; the sweep is the backstop.
const LONGEST_SLEEP_MS = HOUR_MS;
const RETRY_MS = 5_000;

/**
 * A lock's lapse is announced when it expires, not at the next sweep: one timer for the
 * soonest expiry among the configured repositories' locks, set again whenever a lock is taken.
 */
export function createWatchLockExpiry(options: WatchLockExpiryOptions): LockExpiryWatch {
  const { config, store, scheduler, log } = options;
  let woken = new AbortController();

  async function nextExpiry(): Promise<number | undefined> {
    const locks = (await Promise.all(config.repos.map((repo) => store.listLocks(repo.fullName)))).flat();
    const times = locks.map((lock) => lock.expiresAt).filter((t): t is number => t !== undefined);
    return times.length === 0 ? undefined : Math.min(...times);
  }

  return {
    nudge: () => woken.abort(),
    async run(signal) {
      while (!signal.aborted) {
        // Made before the store is read, so a lock taken after the read wakes this wait.
        woken = new AbortController();
        const wake = woken;
        let next: number | undefined;
        try {
          next = await nextExpiry();
        } catch (error) {
          log.warn({ err: error }, 'could not read the locks to watch their expiry');
          await scheduler.sleep(RETRY_MS, signal);
          continue;
        }
        const wait =
          next === undefined ? LONGEST_SLEEP_MS : Math.min(next - scheduler.now(), LONGEST_SLEEP_MS);
        await scheduler.sleep(Math.max(0, wait), AbortSignal.any([signal, wake.signal]));
        if (signal.aborted) return;
        if (next === undefined || scheduler.now() < next) continue;
        await options.expireLocks().catch((error: unknown) => {
          log.warn({ err: error }, 'could not expire locks');
        });
      }
    },
  };
}

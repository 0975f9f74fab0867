import { renderLockExpired } from '../core/command-replies.js';
import type { Config } from '../core/config.js';
import { channelFor, findRepo } from '../core/config-lookup.js';
import { activeLock } from '../core/lock.js';
import type { ChatPort } from '../core/ports/chat.js';
import type { LockStore } from '../core/ports/lock-store.js';
import type { LockWaitStore } from '../core/ports/lock-wait-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { Clock } from '../core/scheduler.js';

export interface ExpireLocksOptions {
  readonly config: Config;
  readonly chat: ChatPort;
  readonly store: LockStore & LockWaitStore;
  readonly clock: Clock;
  readonly log: LogPort;
  /** Deploys that waited for a lock go out, in order (the same as after an unlock). */
  readonly onUnlocked: (repository: string, environment: string) => Promise<void>;
}

export type ExpireLocks = () => Promise<void>;

/**
 * Locks past their expiry lapse by themselves, announced in the repository's channel; then
 * deploys still waiting where no lock holds (their release failed, or the lock lapsed) go out.
 * Run periodically (Scheduler.every) by the app.
 */
export function createExpireLocks(options: ExpireLocksOptions): ExpireLocks {
  const { config, store, clock, log } = options;
  return async () => {
    for (const expired of await store.listExpiredLocks(clock.now())) {
      if (!(await store.removeLock(expired))) continue;
      log.info({ repository: expired.repository, environment: expired.environment }, 'lock expired');
      // The store keeps names in lower case; the announcement shows the configured spelling.
      const repo = findRepo(config, expired.repository);
      const shown = repo ? { ...expired, repository: repo.fullName } : expired;
      await options.chat
        .postMessage(channelFor(config, shown.repository), renderLockExpired(shown))
        .catch((error: unknown) => log.warn({ err: error }, 'could not announce an expired lock'));
    }
    for (const target of await store.listLockWaitTargets()) {
      if (activeLock(await store.getLock(target.repository, target.environment), clock.now())) continue;
      await options
        .onUnlocked(target.repository, target.environment)
        .catch((error: unknown) =>
          log.warn({ err: error, ...target }, 'waiting deploys not sent yet; will retry'),
        );
    }
  };
}

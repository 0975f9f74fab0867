import type { Config } from '../core/config.js';
import { channelFor } from '../core/config-lookup.js';
import { DAY_MS } from '../core/duration.js';
import { type FreezePeriod, nextFreezeChange, openFreeze } from '../core/freeze.js';
import { renderFreezeEnded, renderFreezeStarted } from '../core/freeze-text.js';
import type { ChatPort } from '../core/ports/chat.js';
import type { LogPort } from '../core/ports/log.js';
import type { Scheduler } from '../core/scheduler.js';

export interface WatchFreezesOptions {
  readonly config: Config;
  readonly chat: ChatPort;
  readonly scheduler: Scheduler;
  readonly log: LogPort;
  /** A freeze ended: the merged-PR deploys it held go out, in order. */
  readonly onThawed: (repository: string, environment: string) => Promise<void>;
  /** Told of every start and end, so the App Home boards show it. */
  readonly onChanged?: () => void;
}

/** Runs until `signal` aborts; never rejects. */
export type WatchFreezes = (signal: AbortSignal) => Promise<void>;

// Timers cannot wait longer than about 24 days; a far-off change is reached in steps.
const LONGEST_SLEEP_MS = DAY_MS;

/**
 * The start and end of every freeze, announced in the repository's channel, and the deploys
 * a freeze held sent when it ends. It sleeps until the next change any environment has
 * (`nextFreezeChange`) instead of polling. A freeze already open when it starts is not
 * announced again; held deploys wait for its end as any other.
 */
export function createWatchFreezes(options: WatchFreezesOptions): WatchFreezes {
  const { config, scheduler, log } = options;
  const environments = config.repos.flatMap((repo) =>
    repo.environments
      .filter((environment) => environment.freeze.length > 0)
      .map((environment) => ({
        repository: repo.fullName,
        environment: environment.name,
        windows: environment.freeze,
      })),
  );

  async function announce(target: (typeof environments)[number], was: FreezePeriod | undefined, now: number) {
    const open = openFreeze(target.windows, now);
    const channel = channelFor(config, target.repository);
    if ((open === undefined) !== (was === undefined)) options.onChanged?.();
    if (open !== undefined && was === undefined) {
      log.info({ repository: target.repository, environment: target.environment }, 'freeze started');
      await options.chat.postMessage(
        channel,
        renderFreezeStarted(target.repository, target.environment, open, now),
      );
    } else if (open === undefined && was !== undefined) {
      log.info({ repository: target.repository, environment: target.environment }, 'freeze ended');
      await options.chat.postMessage(channel, renderFreezeEnded(target.repository, target.environment));
      await options.onThawed(target.repository, target.environment);
    }
    return open;
  }

  return async (signal) => {
    if (environments.length === 0) return;
    const state = new Map(
      environments.map((target) => [target, openFreeze(target.windows, scheduler.now())]),
    );
    while (!signal.aborted) {
      const now = scheduler.now();
      const changes = environments
        .map((target) => nextFreezeChange(target.windows, now))
        .filter((at): at is number => at !== undefined);
      if (changes.length === 0) return;
      const wait = Math.min(Math.min(...changes) - now, LONGEST_SLEEP_MS);
      if (!(await scheduler.sleep(Math.max(0, wait), signal))) return;
      const at = scheduler.now();
      for (const target of environments) {
        try {
          state.set(target, await announce(target, state.get(target), at));
        } catch (error) {
          // What failed is said in the log; the lock sweep sends held deploys GitHub could not take.
          state.set(target, openFreeze(target.windows, at));
          log.warn(
            { err: error, repository: target.repository, environment: target.environment },
            'could not announce a freeze change',
          );
        }
      }
    }
  };
}

import type { Scheduler } from '../../src/core/scheduler.js';
import { countSqliteStatementsInFlight } from '../../src/store/sqlite-thread.js';

interface Sleeper {
  readonly due: number;
  readonly seq: number;
  readonly wake: (fired: boolean) => void;
}

interface Repeater {
  readonly ms: number;
  next: number;
  running: boolean;
  readonly task: () => Promise<void>;
  readonly onError: (error: unknown) => void;
}

export interface ManualScheduler extends Scheduler {
  /** Moves time forward, waking each sleep and repeating task that falls due, in time order. */
  advance(ms: number): Promise<void>;
  /** Sleeps not yet woken. */
  pendingSleeps(): number;
}

/**
 * Lets pending promise callbacks run, so a woken flow reaches its next wait before time moves
 * again: the store's statements included, which SQLite answers from a thread of its own.
 */
async function settle(): Promise<void> {
  for (let round = 0; round < 1_000; round++) {
    for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    if (countSqliteStatementsInFlight() === 0) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 1));
  }
}

/**
 * A scheduler tests move by hand. It starts at the real time so GitHub's timestamps stay
 * plausible; nothing happens until `advance` is called.
 */
export function createManualScheduler(start = Date.now()): ManualScheduler {
  let now = start;
  let seq = 0;
  const sleepers: Sleeper[] = [];
  const repeaters = new Set<Repeater>();

  function nextDue(limit: number): number | undefined {
    const times = [...sleepers.map((s) => s.due), ...[...repeaters].map((r) => r.next)].filter(
      (t) => t <= limit,
    );
    return times.length === 0 ? undefined : Math.min(...times);
  }

  return {
    now: () => now,
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        const sleeper: Sleeper = {
          due: now + Math.max(0, ms),
          seq: seq++,
          wake: (fired) => {
            const at = sleepers.indexOf(sleeper);
            if (at >= 0) sleepers.splice(at, 1);
            signal?.removeEventListener('abort', onAbort);
            resolve(fired);
          },
        };
        const onAbort = () => sleeper.wake(false);
        signal?.addEventListener('abort', onAbort, { once: true });
        sleepers.push(sleeper);
      });
    },
    every(ms, task, onError) {
      const repeater: Repeater = { ms, next: now + ms, running: false, task, onError };
      repeaters.add(repeater);
      return () => repeaters.delete(repeater);
    },
    async advance(ms) {
      const target = now + ms;
      await settle();
      for (;;) {
        const due = nextDue(target);
        if (due === undefined) break;
        now = Math.max(now, due);
        const woken = sleepers.filter((s) => s.due <= now).sort((a, b) => a.due - b.due || a.seq - b.seq);
        for (const sleeper of woken) sleeper.wake(true);
        for (const repeater of repeaters) {
          if (repeater.next > now) continue;
          // Like setInterval: the ticks keep their grid, and a tick during a run is skipped.
          repeater.next += repeater.ms;
          if (repeater.running) continue;
          repeater.running = true;
          void repeater
            .task()
            .catch(repeater.onError)
            .finally(() => {
              repeater.running = false;
            });
        }
        await settle();
      }
      now = target;
      await settle();
    },
    pendingSleeps: () => sleepers.length,
  };
}

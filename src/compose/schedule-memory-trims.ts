import type { Scheduler } from '../core/scheduler.js';
import type { TrimMemory } from '../trim-memory.js';

export interface MemoryTrimTimings {
  /** The trim, after start-up's garbage is freed. */
  readonly firstMs: number;
}

export interface ScheduleMemoryTrimsOptions {
  readonly scheduler: Pick<Scheduler, 'sleep'>;
  readonly trim: TrimMemory;
  readonly timings: MemoryTrimTimings;
  readonly onError: (error: unknown) => void;
}

/**
 * Trims the process's memory once, soon after start, when start-up's garbage is freed: what that
 * leaves resident is most of the difference between one start and the next. Not again after: run
 * every 30 s, the three-process test's runs got slower and twice repeated a final status, and
 * that was not understood in time (README, Performance). Returns what cancels it.
 */
export function scheduleMemoryTrims(options: ScheduleMemoryTrimsOptions): () => void {
  const { scheduler, trim, timings, onError } = options;
  const stopped = new AbortController();
  void scheduler.sleep(timings.firstMs, stopped.signal).then((slept) => {
    if (!slept) return;
    try {
      trim();
    } catch (error) {
      onError(error);
    }
  });
  return () => stopped.abort();
}

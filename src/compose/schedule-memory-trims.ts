import type { Scheduler } from '../core/scheduler.js';
import type { TrimMemory } from '../trim-memory.js';

export interface MemoryTrimTimings {
  /** The first trim, after start-up's garbage is freed. */
  readonly firstMs: number;
  readonly intervalMs: number;
}

export interface ScheduleMemoryTrimsOptions {
  readonly scheduler: Pick<Scheduler, 'sleep' | 'every'>;
  readonly trim: TrimMemory;
  readonly timings: MemoryTrimTimings;
  readonly onError: (error: unknown) => void;
}

/**
 * Trims the process's memory soon after start, when start-up's garbage is freed (what that leaves
 * resident is most of the difference between one start and the next), and then at every
 * interval, so a burst's memory goes back once it drained rather than waiting for the next one.
 * Returns what stops them.
 */
export function scheduleMemoryTrims(options: ScheduleMemoryTrimsOptions): () => void {
  const { scheduler, trim, timings, onError } = options;
  const stopped = new AbortController();
  const run = async () => trim();
  void scheduler
    .sleep(timings.firstMs, stopped.signal)
    .then((slept) => (slept ? run().catch(onError) : undefined));
  const stopEvery = scheduler.every(timings.intervalMs, run, onError);
  return () => {
    stopped.abort();
    stopEvery();
  };
}

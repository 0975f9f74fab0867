import type { Scheduler } from '../core/scheduler.js';
import type { TrimMemory } from '../trim-memory.js';

export interface MemoryTrimTimings {
  /** The first trim, after start-up's garbage is freed. */
  readonly firstMs: number;
  readonly intervalMs: number;
}

export interface ScheduleMemoryTrimsOptions {
  readonly scheduler: Scheduler;
  readonly trim: TrimMemory;
  readonly timings: MemoryTrimTimings;
  readonly onError: (error: unknown) => void;
}

/**
 * Trims the process's memory soon after start and then at every interval, so a burst's memory is
 * given back once it drained rather than kept for the next one. Returns what stops them.
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

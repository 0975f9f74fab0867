import type { Scheduler } from '../core/scheduler.js';
import type { ProcessMemory } from '../process-memory.js';

export interface MemoryTrimTimings {
  /** The first collection and trim, after start-up's garbage is freed. */
  readonly firstMs: number;
  readonly intervalMs: number;
}

export interface ScheduleMemoryTrimsOptions {
  readonly scheduler: Pick<Scheduler, 'sleep' | 'every'>;
  readonly memory: ProcessMemory;
  readonly timings: MemoryTrimTimings;
  readonly onError: (error: unknown) => void;
}

/** Below this share of busy time over an interval, the event loop counts as quiet. */
export const QUIET_BELOW = 0.05;

/**
 * Gives memory back: soon after start, what start-up left (most of the difference between one
 * start and the next), then at every interval what the C library holds freed. The first quiet
 * interval after a busy one also collects V8's garbage, so a burst's heap goes back once it
 * drained rather than staying until the next one; a steady light load, never busy, is left to
 * V8. Returns what stops them.
 */
export function scheduleMemoryTrims(options: ScheduleMemoryTrimsOptions): () => void {
  const { scheduler, memory, timings, onError } = options;
  const stopped = new AbortController();
  let busySinceCollected = false;
  const collectAndTrim = () => {
    memory.collectGarbage();
    memory.trim();
    busySinceCollected = false;
  };
  const atInterval = async () => {
    const quiet = memory.busyness() < QUIET_BELOW;
    if (!quiet) busySinceCollected = true;
    if (quiet && busySinceCollected) collectAndTrim();
    else memory.trim();
  };
  void scheduler.sleep(timings.firstMs, stopped.signal).then((slept) => {
    if (!slept) return;
    try {
      collectAndTrim();
      // The intervals measure from here: start-up's work is not a burst.
      memory.busyness();
    } catch (error) {
      onError(error);
    }
  });
  const stopEvery = scheduler.every(timings.intervalMs, atInterval, onError);
  return () => {
    stopped.abort();
    stopEvery();
  };
}

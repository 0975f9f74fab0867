import type { Scheduler } from '../core/scheduler.js';
import type { ProcessMemory } from '../process-memory.js';

export interface MemoryTrimTimings {
  /** The first look, soon after start. */
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
 * Gives memory back at every interval, the first soon after start: what the C library holds
 * freed, trimmed; and, in the first quiet interval after busy ones, V8's garbage, collected first,
 * so a burst's heap goes back once it drained rather than staying until the next one. Start-up
 * counts as busy: what it left (most of the difference between one start and the next) goes at
 * the first quiet look. Nothing is collected while the loop is busy, and a steady light load,
 * never busy, is left to V8. Returns what stops them.
 */
export function scheduleMemoryTrims(options: ScheduleMemoryTrimsOptions): () => void {
  const { scheduler, memory, timings, onError } = options;
  const stopped = new AbortController();
  let busySinceCollected = true;
  // Measured from now: start-up's own work is behind.
  memory.busyness();
  const look = async () => {
    const quiet = memory.busyness() < QUIET_BELOW;
    if (!quiet) busySinceCollected = true;
    if (quiet && busySinceCollected) {
      memory.collectGarbage();
      busySinceCollected = false;
    }
    memory.trim();
  };
  void scheduler
    .sleep(timings.firstMs, stopped.signal)
    .then((slept) => (slept ? look().catch(onError) : undefined));
  const stopEvery = scheduler.every(timings.intervalMs, look, onError);
  return () => {
    stopped.abort();
    stopEvery();
  };
}

import type { Scheduler } from '../core/scheduler.js';

export interface RetryOptions {
  /** The wait before retry `attempt` (1-based). */
  readonly delayMs: (attempt: number) => number;
  /** Once aborted (deploybot is stopping), one last try is made and its failure is thrown. */
  readonly signal: AbortSignal;
  readonly sleep: Scheduler['sleep'];
  readonly onRetry: (error: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Runs `task` until it succeeds, waiting longer after each failure. For bookkeeping that
 * must not be lost to a passing store outage, such as the end of a deploy; it ends only
 * when the task succeeds or deploybot stops.
 */
export async function retryUntilStopped<T>(task: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      if (options.signal.aborted) throw error;
      const delayMs = options.delayMs(attempt);
      options.onRetry(error, attempt, delayMs);
      // Stopping cuts the wait short for the last try.
      await options.sleep(delayMs, options.signal);
    }
  }
}

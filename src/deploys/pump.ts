import type { LogPort } from '../core/ports/log.js';
import type { Scheduler } from '../core/scheduler.js';

export interface Pump {
  /** Runs the task soon: at once, or again right after the run in progress. */
  request(): void;
  /** No more runs; resolves once the one in progress ended. */
  stop(): Promise<void>;
}

export interface PumpOptions {
  /** One pass over the queue. */
  readonly run: () => Promise<void>;
  /** The wait before the next pass after `failures` failed passes in a row. */
  readonly retryDelayMs: (failures: number) => number;
  readonly scheduler: Pick<Scheduler, 'sleep'>;
  readonly log: LogPort;
}

/**
 * Runs a task one pass at a time, however often it is asked for. A pass that fails is
 * followed by another after a wait: nothing else may come along to ask, and a queue left
 * alone after a store error would stall.
 */
export function createPump(options: PumpOptions): Pump {
  const stopping = new AbortController();
  let running: Promise<void> | undefined;
  let again = false;
  let failures = 0;
  let retrying = false;

  function retryLater(delayMs: number): void {
    if (retrying || stopping.signal.aborted) return;
    retrying = true;
    void options.scheduler.sleep(delayMs, stopping.signal).then((fired) => {
      retrying = false;
      if (fired) request();
    });
  }

  function request(): void {
    if (stopping.signal.aborted) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await options.run();
        } while (again && !stopping.signal.aborted);
        failures = 0;
      } catch (error) {
        failures += 1;
        const delayMs = options.retryDelayMs(failures);
        options.log.error({ err: error, retryInMs: delayMs }, 'could not work through the deploy queue');
        retryLater(delayMs);
      } finally {
        // In the same step as the last look at `again`: a request cannot fall in between.
        running = undefined;
      }
    })();
  }

  return {
    request,
    async stop() {
      stopping.abort();
      await running;
    },
  };
}

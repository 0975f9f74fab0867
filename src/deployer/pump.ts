import type { Logger } from '../logger.js';

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
  readonly logger: Logger;
}

/**
 * Runs a task one pass at a time, however often it is asked for. A pass that fails is
 * followed by another after a wait: nothing else may come along to ask, and a queue left
 * alone after a store error would stall.
 */
export function createPump(options: PumpOptions): Pump {
  let running: Promise<void> | undefined;
  let again = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  let stopped = false;

  function request(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await options.run();
      } while (again && !stopped);
    })()
      .then(() => {
        failures = 0;
      })
      .catch((error: unknown) => {
        failures += 1;
        const delayMs = options.retryDelayMs(failures);
        options.logger.error({ err: error, retryInMs: delayMs }, 'could not work through the deploy queue');
        if (retry || stopped) return;
        retry = setTimeout(() => {
          retry = undefined;
          request();
        }, delayMs);
        retry.unref();
      })
      .finally(() => {
        running = undefined;
      });
  }

  return {
    request,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await running;
    },
  };
}

import type { Scheduler } from './core/scheduler.js';

// setTimeout fires at once for delays beyond 2^31 - 1 ms (about 24.8 days); longer waits are chained.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The real clock and timers: the one place deploybot's own code sets a timer. */
export function createSystemScheduler(): Scheduler {
  return {
    now: () => Date.now(),
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.resolve(false);
      return new Promise((resolve) => {
        let timer: NodeJS.Timeout;
        const due = Date.now() + Math.max(0, ms);
        const arm = () => {
          timer = setTimeout(
            () => {
              if (Date.now() < due) return arm();
              signal?.removeEventListener('abort', onAbort);
              resolve(true);
            },
            Math.min(Math.max(0, due - Date.now()), MAX_TIMER_MS),
          );
        };
        const onAbort = () => {
          clearTimeout(timer);
          resolve(false);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        arm();
      });
    },
    every(ms, task, onError) {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        task()
          .catch(onError)
          .finally(() => {
            running = false;
          });
      }, ms);
      // A chore alone never keeps the process alive: stop() is what ends deploybot.
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

import type { Clock } from '../../src/core/scheduler.js';

/** A clock tests move by hand; it starts at the real time so GitHub's timestamps stay plausible. */
export function createManualClock(start = Date.now()): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** Time as the domain sees it; tests pass a clock they control. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

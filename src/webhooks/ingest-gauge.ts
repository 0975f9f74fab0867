import type { Clock } from '../core/scheduler.js';

/**
 * How many webhook requests this process is reading, verifying or storing right now. A few at
 * once are ordinary; many mean deliveries arrive faster than they are stored, and then storing
 * them comes first: GitHub waits 10 s for an answer and never redelivers by itself, while what a
 * stored delivery leads to (an announcement, a deploy) can start a moment later.
 */
export interface IngestGauge {
  /** A request began: its body is being read. */
  enter(): void;
  /** It was answered, whatever the answer. */
  leave(): void;
  /** Whether at least `pressedAt` requests are under way, or were less than `holdMs` ago. */
  pressed(): boolean;
}

export interface IngestGaugeOptions {
  readonly pressedAt: number;
  /**
   * How long the gauge stays pressed after the count last reached `pressedAt`. Under a flood the
   * count dips each time a batch of deliveries is answered at once: without this, the inbox
   * claimed in every dip, as if the flood had passed, and the claims were most of what it took.
   */
  readonly holdMs: number;
  readonly clock: Clock;
}

export function createIngestGauge(options: IngestGaugeOptions): IngestGauge {
  let inFlight = 0;
  let pressedUntil = Number.NEGATIVE_INFINITY;
  return {
    enter() {
      inFlight += 1;
      if (inFlight >= options.pressedAt) pressedUntil = options.clock.now() + options.holdMs;
    },
    leave() {
      inFlight = Math.max(0, inFlight - 1);
    },
    pressed: () => inFlight >= options.pressedAt || options.clock.now() < pressedUntil,
  };
}

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
  /** Whether at least `pressedAt` requests are under way. */
  pressed(): boolean;
}

export function createIngestGauge(options: { readonly pressedAt: number }): IngestGauge {
  let inFlight = 0;
  return {
    enter() {
      inFlight += 1;
    },
    leave() {
      inFlight = Math.max(0, inFlight - 1);
    },
    pressed: () => inFlight >= options.pressedAt,
  };
}

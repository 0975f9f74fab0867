/**
 * Time as the flows see it. Everything that waits, repeats or reads the clock goes through
 * this port, so tests drive time by hand and nothing in core or a use case owns a timer.
 */
export interface Scheduler {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Resolves `true` after `ms`, or `false` as soon as `signal` aborts (at once if it already
   * has). Never rejects, so a stop can cut any wait short without an error path.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean>;
  /**
   * Runs `task` every `ms` until the returned function is called. Runs never overlap: a run
   * still going when the next is due makes that one skip. A run that throws is reported to
   * `onError` and the next one still comes.
   */
  every(ms: number, task: () => Promise<void>, onError: (error: unknown) => void): () => void;
}

/** The part of the scheduler most code needs: what time it is. */
export type Clock = Pick<Scheduler, 'now'>;

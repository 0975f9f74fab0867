/** What this process can tell of another deploybot process from its runner id (core/runner-id.ts). */
export interface RunnerLiveness {
  /** Whether the runner was a process on this machine: only then are its process groups ours to kill. */
  isOnThisHost(runner: string): boolean;
  /**
   * True only when certain the runner is gone: it was on this machine and its pid no longer
   * exists. A pid that exists may be another process now, so it says nothing: its lease decides.
   */
  isGone(runner: string): boolean;
}

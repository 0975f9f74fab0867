import type { AbortReason } from '../core/deploy-abort.js';

/** How this process controls one run of a job. */
export interface RunControl {
  readonly controller: AbortController;
  /** Set once the outcome is fixed: an abort after that changes nothing, so a cancel comes too late. */
  decided: boolean;
  /** Set once the deploy itself began (the checkout done): stopped before that, it goes back to the queue. */
  began: boolean;
}

/** A job this process is claiming or running. */
export interface DeployRun extends RunControl {
  /** Whether the claim made the job ours; false when it failed too. */
  readonly claim: Promise<boolean>;
  /** Set the moment the claim succeeds; settles once the run ended and was recorded. */
  done?: Promise<void>;
  /** Set the moment the claim succeeds: from then on the job's lease is this process's to renew. */
  claimed: boolean;
}

/** The jobs this process is claiming or running, for a cancel or a stop to find. */
export interface DeployRuns {
  get(deploymentId: number): DeployRun | undefined;
  /** Registers a run whose claim is in flight, so a cancel or stop arriving meanwhile finds it. */
  add(deploymentId: number, claim: Promise<boolean>): DeployRun;
  remove(deploymentId: number): void;
  /**
   * Stops the run unless its outcome is already decided or something else stopped it first;
   * says whether it did.
   */
  abort(run: RunControl, reason: AbortReason): boolean;
  abortAll(reason: AbortReason): void;
  /** Stops every run, its claim in flight or not, whose deploy has not begun. */
  abortNotBegun(reason: AbortReason): void;
  /** The runs whose claim succeeded, by deployment id. */
  claimedRuns(): Array<[number, DeployRun]>;
  /** Resolves once no run is left; a job still being claimed has no run yet, its claim is waited for. */
  settled(): Promise<void>;
}

export function createDeployRuns(): DeployRuns {
  const active = new Map<number, DeployRun>();
  return {
    get: (deploymentId) => active.get(deploymentId),
    add(deploymentId, claim) {
      const run: DeployRun = {
        controller: new AbortController(),
        decided: false,
        began: false,
        claimed: false,
        claim: claim.catch(() => false),
      };
      active.set(deploymentId, run);
      return run;
    },
    remove: (deploymentId) => {
      active.delete(deploymentId);
    },
    abort(run, reason) {
      if (run.decided || run.controller.signal.aborted) return false;
      run.controller.abort(reason);
      return true;
    },
    abortAll(reason) {
      for (const run of active.values()) run.controller.abort(reason);
    },
    abortNotBegun(reason) {
      for (const run of active.values()) if (!run.began && !run.decided) run.controller.abort(reason);
    },
    claimedRuns: () => [...active.entries()].filter(([, run]) => run.claimed),
    async settled() {
      while (active.size > 0) await Promise.all([...active.values()].map((run) => run.done ?? run.claim));
    },
  };
}

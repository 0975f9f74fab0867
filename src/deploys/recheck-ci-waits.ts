import type { LogPort } from '../core/ports/log.js';
import type { PendingDeployStore } from '../core/ports/pending-deploy-store.js';
import type { DeployMerge } from './deploy-merge.js';

export interface RecheckCiWaitsOptions {
  readonly store: PendingDeployStore;
  readonly deployMerge: DeployMerge;
}

export interface RecheckCiWaitsInput {
  /** `owner/name`, any case. */
  readonly repository: string;
  readonly repositoryUrl: string;
  /** The commit one of whose checks reported. */
  readonly sha: string;
  /** The last try of the delivery: see MergeDeployAttempt.finalAttempt. */
  readonly finalAttempt: boolean;
  readonly log: LogPort;
}

export type RecheckCiWaits = (input: RecheckCiWaitsInput) => Promise<void>;

/**
 * A check of a commit reported: every deploy waiting for CI on it tries again. GitHub
 * decides whether the required checks pass now; the deploy goes out, keeps waiting (its
 * message updated if the list changed) or is dropped.
 */
export function createRecheckCiWaits(options: RecheckCiWaitsOptions): RecheckCiWaits {
  return async ({ repository, repositoryUrl, sha, finalAttempt, log }) => {
    for (const pending of await options.store.listPendingDeploys(repository, sha)) {
      const { request } = pending;
      await options.deployMerge({
        request,
        channel: pending.channel,
        repositoryUrl,
        pending,
        finalAttempt,
        log,
      });
    }
  };
}

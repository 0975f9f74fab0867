import type { KnownStatus } from '../known-status.js';

/** The latest status seen of each deployment (see known-status.ts). */
export interface KnownStatusStore {
  /** Records each status unless a newer one of its deployment is already known (mergeKnownStatus). */
  rememberStatuses(statuses: readonly KnownStatus[]): Promise<void>;
  /** What is known of these deployments; those never seen are absent. */
  getKnownStatuses(deploymentIds: readonly number[]): Promise<Map<number, KnownStatus>>;
}

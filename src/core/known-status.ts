import { type DeploymentState, isFinalState } from './deployment-state.js';
import type { LatestDeploymentStatus } from './ports/github.js';

/**
 * The latest status deploybot has seen of a deployment, from a `deployment_status` webhook or
 * read from GitHub. GitHub stays the source of truth: this only spares asking it again for
 * what cannot change any more.
 */
export interface KnownStatus {
  readonly deploymentId: number;
  readonly repository: string;
  readonly statusId: number;
  readonly state: DeploymentState;
  /** When GitHub created the status (epoch ms). */
  readonly createdAt: number;
  /** The log of the newest status that had one: GitHub's `inactive` retirement carries none. */
  readonly logUrl?: string;
  readonly environmentUrl?: string;
}

/** What GitHub said a deployment's newest status is, as the store keeps it. */
export function toKnownStatus(
  repository: string,
  deploymentId: number,
  latest: LatestDeploymentStatus,
): KnownStatus {
  return {
    deploymentId,
    repository,
    statusId: latest.id,
    state: latest.state,
    createdAt: Date.parse(latest.createdAt),
    ...(latest.logUrl === undefined ? {} : { logUrl: latest.logUrl }),
    ...(latest.environmentUrl === undefined ? {} : { environmentUrl: latest.environmentUrl }),
  };
}

/**
 * What is known after `next` arrives: the newer status (GitHub's ids grow) wins, whatever the
 * order of arrival, keeping the older one's log link when the newer one has none. The SQL store
 * applies the same rule as one conditional upsert, tested against this function.
 */
export function mergeKnownStatus(known: KnownStatus | undefined, next: KnownStatus): KnownStatus {
  if (known === undefined) return next;
  if (next.statusId < known.statusId) {
    return known.logUrl === undefined && next.logUrl !== undefined
      ? { ...known, logUrl: next.logUrl }
      : known;
  }
  if (next.logUrl === undefined && known.logUrl !== undefined) return { ...next, logUrl: known.logUrl };
  return next;
}

/**
 * Whether a known status can be trusted without asking GitHub: a final one never changes but
 * for `success` retiring into `inactive`, which no reader tells apart from a newer success.
 */
export function isSettledStatus(known: KnownStatus | undefined): known is KnownStatus {
  return known !== undefined && isFinalState(known.state);
}

import type { UnfinishedJobState } from './deploy-job-state.js';
import { repoKey } from './repo-key.js';

/**
 * Which waiting deployments may start now. One deployment at a time per lane (a repository
 * and environment), in the order they were queued, and at most `limit` at once overall.
 */

export interface QueueEntry {
  readonly id: number;
  readonly lane: string;
  readonly state: UnfinishedJobState;
  /** Set when someone else locked the environment after this job came in: it waits for the unlock. */
  readonly lockedIn?: string;
}

export type WaitReason =
  | { readonly kind: 'lane_busy'; readonly runningId: number }
  | { readonly kind: 'behind'; readonly aheadId: number }
  | { readonly kind: 'no_slot'; readonly limit: number }
  | { readonly kind: 'locked'; readonly environment: string };

export interface QueuePlan {
  readonly start: readonly number[];
  readonly wait: ReadonlyArray<{ readonly id: number; readonly reason: WaitReason }>;
}

/** `entries` in queue order (oldest first); running entries may appear anywhere. */
export function planQueue(entries: readonly QueueEntry[], limit: number): QueuePlan {
  const running = new Map<string, number>();
  for (const entry of entries) if (entry.state === 'running') running.set(entry.lane, entry.id);
  // A lane whose first waiting deployment cannot start holds every later one of that lane back.
  const heldBy = new Map<string, number>();
  let free = limit - [...entries].filter((e) => e.state === 'running').length;
  const start: number[] = [];
  const wait: Array<{ id: number; reason: WaitReason }> = [];
  for (const entry of entries) {
    if (entry.state !== 'queued') continue;
    const runningId = running.get(entry.lane);
    const aheadId = heldBy.get(entry.lane);
    if (runningId !== undefined) {
      wait.push({ id: entry.id, reason: { kind: 'lane_busy', runningId } });
    } else if (aheadId !== undefined) {
      wait.push({ id: entry.id, reason: { kind: 'behind', aheadId } });
    } else if (entry.lockedIn !== undefined) {
      wait.push({ id: entry.id, reason: { kind: 'locked', environment: entry.lockedIn } });
      heldBy.set(entry.lane, entry.id);
    } else if (free > 0) {
      start.push(entry.id);
      running.set(entry.lane, entry.id);
      free -= 1;
    } else {
      wait.push({ id: entry.id, reason: { kind: 'no_slot', limit } });
      heldBy.set(entry.lane, entry.id);
    }
  }
  return { start, wait };
}

/** The description of a `queued` status: why this deployment waits. */
export function describeWait(reason: WaitReason): string {
  switch (reason.kind) {
    case 'lane_busy':
      return `waiting for deployment ${reason.runningId} to finish`;
    case 'behind':
      return `waiting behind deployment ${reason.aheadId}`;
    case 'no_slot':
      return `waiting for a free slot (${reason.limit} ${reason.limit === 1 ? 'deploy' : 'deploys'} running)`;
    case 'locked':
      return `waiting for the lock on ${reason.environment} to be released`;
  }
}

/** The description of the `pending` status a deploy gets when it starts. */
export function describeDeploying(sha: string, environment: string): string {
  return `deploying ${sha.slice(0, 7)} to ${environment}`;
}

/** The key of the one-at-a-time rule: the configured repository and environment, any case. */
export function laneOf(repository: string, environment: string): string {
  return `${repoKey(repository)}:${environment.toLowerCase()}`;
}

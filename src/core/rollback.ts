/** Rollback: which commit to go back to, from an environment's deployment history. */
import type { RollbackRefusal } from './refusal.js';

export interface RollbackCandidate {
  readonly sha: string;
  /** The deployment's latest status state (GitHub's, or `active` as some tools report it). */
  readonly state: string;
  readonly createdAt: number;
}

export type RollbackPick<T extends RollbackCandidate> =
  | { readonly target: T; readonly current: T }
  | ({ readonly target: undefined } & RollbackRefusal);

const LIVE_STATES: ReadonlySet<string> = new Set(['success', 'active']);
// GitHub retires a successful deployment to `inactive` when a newer one succeeds.
const ONCE_LIVE_STATES: ReadonlySet<string> = new Set(['success', 'active', 'inactive']);

/**
 * The deployment to roll back to: the newest one that went live before the one live now
 * (the newest `success`/`active`), with a different sha. Failed and unfinished deployments
 * never went live, so they are neither current nor a target.
 */
export function pickRollbackTarget<T extends RollbackCandidate>(history: readonly T[]): RollbackPick<T> {
  const newestFirst = [...history].sort((a, b) => b.createdAt - a.createdAt);
  const currentIndex = newestFirst.findIndex((entry) => LIVE_STATES.has(entry.state));
  const current = newestFirst[currentIndex];
  if (current === undefined) {
    return { target: undefined, rule: 'nothing_deployed' };
  }
  const target = newestFirst
    .slice(currentIndex + 1)
    .find(
      (entry) => ONCE_LIVE_STATES.has(entry.state) && entry.sha.toLowerCase() !== current.sha.toLowerCase(),
    );
  if (target === undefined) {
    return { target: undefined, rule: 'nothing_earlier' };
  }
  return { target, current };
}

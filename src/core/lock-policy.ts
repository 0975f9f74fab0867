/** Locks: who holds an environment, whether a deploy may go in, who may take a lock over. */
import { formatAgo, formatDurationShort, MINUTE_MS } from './duration.js';
import { escapeMrkdwn } from './message.js';
import { type Asker, canStealLock, isAdmin, mention, unique } from './policy.js';

export interface Lock {
  readonly repository: string;
  readonly environment: string;
  /** Slack user ID. */
  readonly holder: string;
  readonly reason?: string;
  readonly lockedAt: number;
  readonly expiresAt?: number;
}

export type LockCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function isLockExpired(lock: Lock, now: number): boolean {
  return lock.expiresAt !== undefined && now >= lock.expiresAt;
}

/** Whether a lock still holds: absent and expired locks do not. */
export function activeLock(lock: Lock | undefined, now: number): Lock | undefined {
  return lock === undefined || isLockExpired(lock, now) ? undefined : lock;
}

/** A deploy into a locked environment: the holder and admins may, others are told why not. */
export function checkLock(
  lock: Lock | undefined,
  who: { readonly userId: string; readonly isAdmin: boolean; readonly now: number },
): LockCheck {
  const active = activeLock(lock, who.now);
  if (active === undefined || active.holder === who.userId || who.isAdmin) return { ok: true };
  return { ok: false, reason: `${describeLock(active, who.now)} Ask them to unlock it, or ask an admin.` };
}

/** "*production* of *octo-org/web* is locked by <@U1> (3h ago, 2h left): “release freeze”." */
export function describeLock(lock: Lock, now: number): string {
  const when = [formatAgo(lock.lockedAt, now)];
  if (lock.expiresAt !== undefined) {
    when.push(`${formatDurationShort(Math.max(MINUTE_MS, lock.expiresAt - now))} left`);
  }
  const reason = lock.reason?.trim();
  return (
    `*${escapeMrkdwn(lock.environment)}* of *${escapeMrkdwn(lock.repository)}* is locked by ` +
    `${mention(lock.holder)} (${when.join(', ')})${reason ? `: “${escapeMrkdwn(reason)}”` : ''}.`
  );
}

export function createLock(input: {
  readonly repository: string;
  readonly environment: string;
  readonly holder: string;
  readonly reason?: string;
  readonly durationMs?: number;
  readonly now: number;
}): Lock {
  return {
    repository: input.repository,
    environment: input.environment,
    holder: input.holder,
    ...(input.reason === undefined ? {} : { reason: input.reason }),
    lockedAt: input.now,
    ...(input.durationMs === undefined ? {} : { expiresAt: input.now + input.durationMs }),
  };
}

export type LockDecision =
  /** Nobody holds it (or the lock expired): take it. */
  | { readonly action: 'lock' }
  /** The asker holds it already: replace reason and expiry. */
  | { readonly action: 'relock'; readonly existing: Lock }
  /** An admin asked to steal: confirm first, then tell the previous holder. */
  | { readonly action: 'steal'; readonly previousHolder: string; readonly existing: Lock }
  | { readonly action: 'refuse'; readonly reason: string; readonly whoMay: string[] };

/** What `lock ENV on REPO[!]` does, given the lock there now. */
export function decideLock(
  existing: Lock | undefined,
  asker: Asker & { steal: boolean; now: number },
): LockDecision {
  const active = activeLock(existing, asker.now);
  if (active === undefined) return { action: 'lock' };
  if (active.holder === asker.userId) return { action: 'relock', existing: active };
  if (!asker.steal) {
    return {
      action: 'refuse',
      reason: `${describeLock(active, asker.now)} An admin can take it over with \`lock …!\`.`,
      whoMay: [mention(active.holder)],
    };
  }
  const permission = canStealLock(asker);
  if (!permission.allowed) return { action: 'refuse', reason: permission.reason, whoMay: permission.whoMay };
  return { action: 'steal', previousHolder: active.holder, existing: active };
}

export type UnlockDecision =
  | { readonly action: 'unlock'; readonly existing: Lock }
  | { readonly action: 'not_locked' }
  | { readonly action: 'refuse'; readonly reason: string; readonly whoMay: string[] };

/** The holder and admins may unlock; unlocking someone else's lock is taking it over. */
export function decideUnlock(existing: Lock | undefined, asker: Asker & { now: number }): UnlockDecision {
  const active = activeLock(existing, asker.now);
  if (active === undefined) return { action: 'not_locked' };
  if (active.holder === asker.userId || isAdmin(asker)) return { action: 'unlock', existing: active };
  return {
    action: 'refuse',
    reason: `${describeLock(active, asker.now)} Only ${mention(active.holder)} or an admin can unlock it.`,
    whoMay: unique([active.holder, ...asker.environment.admins]).map(mention),
  };
}

/** Locks: whether a deploy may go in, who may lock, unlock or take a lock over. */
import { activeLock, type Lock } from './lock.js';
import { type Asker, canStealLock, isAdmin, mention, unique } from './policy.js';
import type { LockRefusal, Refusal } from './refusal.js';

// Kept here for the code outside the chat flows that imports them from here (store, webhooks).
export { describeLock } from './command-replies-lock.js';
export { activeLock, createLock, isLockExpired, type Lock } from './lock.js';

export type LockCheck =
  | { readonly ok: true }
  | ({ readonly ok: false } & Extract<LockRefusal, { readonly rule: 'locked' }>);

/** A deploy into a locked environment: the holder and admins may, others are told why not. */
export function checkLock(
  lock: Lock | undefined,
  who: { readonly userId: string; readonly isAdmin: boolean; readonly now: number },
): LockCheck {
  const active = activeLock(lock, who.now);
  if (active === undefined || active.holder === who.userId || who.isAdmin) return { ok: true };
  return { ok: false, rule: 'locked', lock: active, now: who.now };
}

export type LockDecision =
  /** Nobody holds it (or the lock expired): take it. */
  | { readonly action: 'lock' }
  /** The asker holds it already: replace reason and expiry. */
  | { readonly action: 'relock'; readonly existing: Lock }
  /** An admin asked to steal: confirm first, then tell the previous holder. */
  | { readonly action: 'steal'; readonly previousHolder: string; readonly existing: Lock }
  | ({ readonly action: 'refuse' } & Refusal);

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
      rule: 'lock_held',
      lock: active,
      now: asker.now,
      whoMay: [mention(active.holder)],
    };
  }
  const permission = canStealLock(asker);
  if (!permission.allowed) {
    const { allowed: _allowed, ...refusal } = permission;
    return { action: 'refuse', ...refusal };
  }
  return { action: 'steal', previousHolder: active.holder, existing: active };
}

export type UnlockDecision =
  | { readonly action: 'unlock'; readonly existing: Lock }
  | { readonly action: 'not_locked' }
  | ({ readonly action: 'refuse' } & Extract<LockRefusal, { readonly rule: 'not_the_holder' }>);

/** The holder and admins may unlock; unlocking someone else's lock is taking it over. */
export function decideUnlock(existing: Lock | undefined, asker: Asker & { now: number }): UnlockDecision {
  const active = activeLock(existing, asker.now);
  if (active === undefined) return { action: 'not_locked' };
  if (active.holder === asker.userId || isAdmin(asker)) return { action: 'unlock', existing: active };
  return {
    action: 'refuse',
    rule: 'not_the_holder',
    lock: active,
    now: asker.now,
    whoMay: unique([active.holder, ...asker.environment.admins]).map(mention),
  };
}

/** What a lock take-over waits on: the lock the admin asked for, and the one they saw. */
export interface LockTakeover {
  readonly lock: Lock;
  readonly previous: Lock;
}

/** The lock an admin gets on confirming: taken now, for as long as they asked. */
export function takeOverLock(takeover: LockTakeover, now: number): Lock {
  const wanted = takeover.lock;
  return {
    ...wanted,
    lockedAt: now,
    ...(wanted.expiresAt === undefined ? {} : { expiresAt: now + (wanted.expiresAt - wanted.lockedAt) }),
  };
}

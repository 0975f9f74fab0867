import { activeLock, type Lock } from './lock.js';
import { readPayloadObject } from './payload.js';

/**
 * The lock a job that has not started must wait for, or undefined when it may go. A lock taken
 * after the job came in, by someone other than who asked for it, holds it back, as it holds back
 * a merged pull request's deploy. A lock that was there before deploybot took the job in was
 * already weighed when the deployment was created (its holder or an admin asked for it).
 */
export function findHoldingLock(
  job: { readonly enqueuedAt: number; readonly payload: unknown },
  lock: Lock | undefined,
  now: number,
): Lock | undefined {
  const active = activeLock(lock, now);
  if (active === undefined || active.lockedAt < job.enqueuedAt) return undefined;
  return readRequester(job.payload) === active.holder ? undefined : active;
}

/** The Slack user who asked for a deployment from chat: `notify.user` of its payload. */
function readRequester(payload: unknown): string | undefined {
  const notify = readPayloadObject(payload).notify;
  if (typeof notify !== 'object' || notify === null) return undefined;
  const user = (notify as Record<string, unknown>).user;
  return typeof user === 'string' ? user : undefined;
}

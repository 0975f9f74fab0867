/** A lock as deploybot keeps it, and the facts that follow from it alone. */
export interface Lock {
  readonly repository: string;
  readonly environment: string;
  /** Slack user ID. */
  readonly holder: string;
  readonly reason?: string;
  readonly lockedAt: number;
  readonly expiresAt?: number;
}

export function isLockExpired(lock: Lock, now: number): boolean {
  return lock.expiresAt !== undefined && now >= lock.expiresAt;
}

/** Whether a lock still holds: absent and expired locks do not. */
export function activeLock(lock: Lock | undefined, now: number): Lock | undefined {
  return lock === undefined || isLockExpired(lock, now) ? undefined : lock;
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

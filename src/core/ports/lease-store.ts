/** A claim on a piece of work (a repository's deliveries, a deploy lane, a chore) by one process. */
export interface Lease {
  readonly key: string;
  readonly owner: string;
  readonly expiresAt: number;
}

/**
 * Leases shared by every deploybot process on one store. A lease is held until it expires
 * unless its owner renews it; a process that dies loses its leases when they expire, and
 * another takes the work over. Taking and renewing are single conditional writes, so two
 * processes racing for one key never both win.
 */
export interface LeaseStore {
  /** Takes `key` for `owner` until `now + ttlMs` if it is free, expired or already `owner`'s. */
  acquireLease(key: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
  /** Extends every lease `owner` still holds; says which keys it still holds. */
  renewLeases(owner: string, now: number, ttlMs: number): Promise<string[]>;
  /** Gives `key` up, if `owner` holds it. */
  releaseLease(key: string, owner: string): Promise<void>;
  getLease(key: string): Promise<Lease | undefined>;
}

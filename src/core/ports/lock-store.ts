import type { Lock } from '../lock-policy.js';

export interface LockStore {
  getLock(repository: string, environment: string): Promise<Lock | undefined>;
  listLocks(repository: string): Promise<Lock[]>;
  /**
   * Takes the lock of a repository and environment if it is still as the caller saw it:
   * free (`expected` undefined) or held as `expected`. False when someone got there first.
   */
  replaceLock(next: Lock, expected: Lock | undefined): Promise<boolean>;
  /** Removes the lock if it is still the one given (same holder and time); says whether it did. */
  removeLock(lock: Lock): Promise<boolean>;
  listExpiredLocks(now: number): Promise<Lock[]>;
}

import type { LockWaitRequest } from '../merge-deploy.js';
export interface LockWait {
  readonly id: string;
  readonly repository: string;
  readonly environment: string;
  readonly request: LockWaitRequest;
  readonly channel: string;
  readonly messageTs: string | undefined;
  readonly createdAt: number;
}

export interface LockWaitStore {
  saveLockWait(wait: LockWait): Promise<void>;
  /** Oldest first: they go out in the order they arrived. */
  listLockWaits(repository: string, environment: string): Promise<LockWait[]>;
  removeLockWait(id: string): Promise<boolean>;
  /** Every repository and environment something waits for. */
  listLockWaitTargets(): Promise<Array<{ repository: string; environment: string }>>;
}

import { type AnnouncementStore, createAnnouncementStore } from './announcements.js';
import { type ConfirmationStore, createConfirmationStore } from './confirmations.js';
import { type Database, pingDatabase } from './database.js';
import { createDeliveryStore, type DeliveryStore } from './deliveries.js';
import { createDeployJobStore, type DeployJobStore } from './deploy-jobs.js';
import { createDeployLogStore, type DeployLogStore } from './deploy-logs.js';
import { createLockWaitStore, type LockWaitStore } from './lock-waits.js';
import { createLockStore, type LockStore } from './locks.js';
import { createPendingDeployStore, type PendingDeployStore } from './pending-deploys.js';

/** Everything only deploybot knows; GitHub holds the deployments themselves. */
export interface Store
  extends DeliveryStore,
    AnnouncementStore,
    PendingDeployStore,
    DeployJobStore,
    DeployLogStore,
    LockStore,
    ConfirmationStore,
    LockWaitStore {
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function createStore(db: Database): Store {
  return {
    ...createDeliveryStore(db),
    ...createAnnouncementStore(db),
    ...createPendingDeployStore(db),
    ...createDeployJobStore(db),
    ...createDeployLogStore(db),
    ...createLockStore(db),
    ...createConfirmationStore(db),
    ...createLockWaitStore(db),
    ping: () => pingDatabase(db),
    close: () => db.destroy(),
  };
}

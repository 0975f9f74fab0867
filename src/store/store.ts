import type { AnnouncementStore } from '../core/ports/announcement-store.js';
import type { ConfirmationStore } from '../core/ports/confirmation-store.js';
import type { DeliveryStore } from '../core/ports/delivery-store.js';
import type { DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { DeployLogStore } from '../core/ports/deploy-log-store.js';
import type { HomeViewerStore } from '../core/ports/home-viewer-store.js';
import type { KnownStatusStore } from '../core/ports/known-status-store.js';
import type { LeaseStore } from '../core/ports/lease-store.js';
import type { LockStore } from '../core/ports/lock-store.js';
import type { LockWaitStore } from '../core/ports/lock-wait-store.js';
import type { PendingDeployStore } from '../core/ports/pending-deploy-store.js';
import type { RetentionStore } from '../core/ports/retention-store.js';
import { createAnnouncementStore } from './announcements.js';
import { createConfirmationStore } from './confirmations.js';
import { type Database, pingDatabase } from './database.js';
import { createDeliveryStore } from './deliveries.js';
import { createDeployJobStore } from './deploy-jobs.js';
import { createDeployLogStore } from './deploy-logs.js';
import { createHomeViewerStore } from './home-viewers.js';
import { createKnownStatusStore } from './known-statuses.js';
import { createLeaseStore } from './leases.js';
import { createLockWaitStore } from './lock-waits.js';
import { createLockStore } from './locks.js';
import { createPendingDeployStore } from './pending-deploys.js';
import { createRetentionStore } from './retention.js';
import { withStoreErrors } from './store-errors.js';

/** Everything only deploybot knows; GitHub holds the deployments themselves. */
export interface Store
  extends DeliveryStore,
    AnnouncementStore,
    PendingDeployStore,
    DeployJobStore,
    DeployLogStore,
    LockStore,
    ConfirmationStore,
    LockWaitStore,
    LeaseStore,
    KnownStatusStore,
    RetentionStore,
    HomeViewerStore {
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function createStore(db: Database): Store {
  return withStoreErrors<Store>({
    ...createDeliveryStore(db),
    ...createAnnouncementStore(db),
    ...createPendingDeployStore(db),
    ...createDeployJobStore(db),
    ...createDeployLogStore(db),
    ...createLockStore(db),
    ...createConfirmationStore(db),
    ...createLockWaitStore(db),
    ...createLeaseStore(db),
    ...createKnownStatusStore(db),
    ...createRetentionStore(db),
    ...createHomeViewerStore(db),
    ping: () => pingDatabase(db),
    close: () => db.destroy(),
  });
}

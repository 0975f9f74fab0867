import { type AnnouncementStore, createAnnouncementStore } from './announcements.js';
import { type Database, pingDatabase } from './database.js';
import { createDeliveryStore, type DeliveryStore } from './deliveries.js';
import { createPendingDeployStore, type PendingDeployStore } from './pending-deploys.js';

/** Everything only deploybot knows; GitHub holds the deployments themselves. */
export interface Store extends DeliveryStore, AnnouncementStore, PendingDeployStore {
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function createStore(db: Database): Store {
  return {
    ...createDeliveryStore(db),
    ...createAnnouncementStore(db),
    ...createPendingDeployStore(db),
    ping: () => pingDatabase(db),
    close: () => db.destroy(),
  };
}

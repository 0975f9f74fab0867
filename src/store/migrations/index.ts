import type { Migration, MigrationProvider } from 'kysely';
import { coreLoopMigration } from './0001-core-loop.js';
import { deployerMigration } from './0002-deployer.js';
import { chatMigration } from './0003-chat.js';
import { leasesMigration } from './0004-leases.js';
import { deliveryLeasesMigration } from './0005-delivery-leases.js';
import { deployJobLeasesMigration } from './0006-deploy-job-leases.js';
import { homeViewersMigration } from './0008-home-viewers.js';
import { knownStatusesMigration } from './0010-known-statuses.js';
import { deployJobCancelsMigration } from './0011-deploy-job-cancels.js';
import { queuedNoticesMigration } from './0012-queued-notices.js';
import { chatPostsMigration } from './0013-chat-posts.js';
import { deliveryOrderMigration } from './0014-delivery-order.js';
import { deliveryHeadsMigration } from './0015-delivery-heads.js';
import { deliverySeqRowidMigration } from './0016-delivery-seq-rowid.js';

// Append-only: a released migration is never edited; a change adds the next entry.
// Names sort in the order they run.
const migrations: Record<string, Migration> = {
  '0001-core-loop': coreLoopMigration,
  '0002-deployer': deployerMigration,
  '0003-chat': chatMigration,
  '0004-leases': leasesMigration,
  '0005-delivery-leases': deliveryLeasesMigration,
  '0006-deploy-job-leases': deployJobLeasesMigration,
  '0008-home-viewers': homeViewersMigration,
  '0010-known-statuses': knownStatusesMigration,
  '0011-deploy-job-cancels': deployJobCancelsMigration,
  '0012-queued-notices': queuedNoticesMigration,
  '0013-chat-posts': chatPostsMigration,
  '0014-delivery-order': deliveryOrderMigration,
  '0015-delivery-heads': deliveryHeadsMigration,
  '0016-delivery-seq-rowid': deliverySeqRowidMigration,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

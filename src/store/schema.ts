import type { Generated } from 'kysely';
import type { ChatTables } from './chat-schema.js';
import type { DeployerTables } from './deployer-schema.js';
import type { HomeTables } from './home-schema.js';
import type { KnownStatusTables } from './known-status-schema.js';
import type { LeaseTables } from './lease-schema.js';

/** Timestamps are epoch milliseconds: portable between SQLite and PostgreSQL (bigint). */
export interface WebhookDeliveryTable {
  delivery_id: string;
  event: string;
  action: string | null;
  /** The repository's full name, or '' for events without one; deliveries of one key run in order. */
  partition_key: string;
  payload: string;
  state: 'pending' | 'done' | 'failed';
  attempts: Generated<number>;
  last_error: string | null;
  received_at: number;
  next_attempt_at: number;
  processed_at: number | null;
  /** The process working on it now, until `lease_expires_at` (migration 0005). */
  lease_owner: string | null;
  lease_expires_at: number | null;
  /** The order it reached the store (migration 0014): how one repository's deliveries are ordered. */
  seq: Generated<number>;
}

/** The Slack message that announces one GitHub deployment. */
export interface AnnouncementTable {
  deployment_id: number;
  repository: string;
  channel: string;
  ts: string;
  /** The GitHub status shown in the message now; newer statuses only move it forward. */
  status_id: number;
  state: string;
  updated_at: number;
}

/** Each status announced in the deployment's thread (or as its first message), so none is posted twice. */
export interface AnnouncedStatusTable {
  status_id: number;
  deployment_id: number;
  ts: string;
  created_at: number;
}

/** A deployment deploybot wants to create once the commit's required checks pass. */
export interface PendingDeployTable {
  id: string;
  repository: string;
  sha: string;
  environment: string;
  /** The createDeployment request, JSON. */
  request: string;
  channel: string;
  /** The Slack message saying the deploy waits, updated when it goes out or is dropped. */
  message_ts: string | null;
  waiting_for: string;
  created_at: number;
}

/** The core loop's tables (migration 0001). Later features add their own interfaces to DatabaseSchema. */
export interface CoreTables {
  webhook_deliveries: WebhookDeliveryTable;
  announcements: AnnouncementTable;
  announced_statuses: AnnouncedStatusTable;
  pending_deploys: PendingDeployTable;
}

export interface DatabaseSchema
  extends CoreTables,
    DeployerTables,
    ChatTables,
    LeaseTables,
    KnownStatusTables {}
export interface DatabaseSchema extends CoreTables, DeployerTables, ChatTables, LeaseTables, HomeTables {}

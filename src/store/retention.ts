import type { RetentionStore } from '../core/ports/retention-store.js';
import type { Database } from './database.js';
import { deliveryPayloadColumn } from './records.js';

/** What a dropped payload becomes; an ignored delivery's payload (null) counts as dropped too. */
const EMPTY_PAYLOAD = deliveryPayloadColumn.encode({});
const NO_PAYLOAD = deliveryPayloadColumn.encode(null);
const HANDLED = ['done', 'failed'] as const;

/**
 * Each statement picks at most `limit` keys in a subquery and touches only those: neither
 * SQLite nor PostgreSQL takes LIMIT on UPDATE or DELETE itself.
 */
export function createRetentionStore(db: Database): RetentionStore {
  return {
    async dropDeliveryPayloads(before, limit) {
      const result = await db
        .updateTable('webhook_deliveries')
        .set({ payload: EMPTY_PAYLOAD })
        .where('delivery_id', 'in', (eb) =>
          eb
            .selectFrom('webhook_deliveries')
            .select('delivery_id')
            .where('state', 'in', HANDLED)
            .where('received_at', '<', before)
            .where('payload', 'not in', [EMPTY_PAYLOAD, NO_PAYLOAD])
            .limit(limit),
        )
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async deleteDeliveries(before, limit) {
      const result = await db
        .deleteFrom('webhook_deliveries')
        .where('delivery_id', 'in', (eb) =>
          eb
            .selectFrom('webhook_deliveries')
            .select('delivery_id')
            .where('state', 'in', HANDLED)
            .where('received_at', '<', before)
            .limit(limit),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async deleteFinishedDeployJobs(before, limit) {
      const result = await db
        .deleteFrom('deploy_jobs')
        .where('deployment_id', 'in', (eb) =>
          eb
            .selectFrom('deploy_jobs')
            .select('deployment_id')
            .where('state', '=', 'finished')
            .where('finished_at', '<', before)
            .where('final_status', 'in', ['posted', 'abandoned'])
            .limit(limit),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async deleteAnnouncements(before, limit) {
      const announcements = await db
        .deleteFrom('announcements')
        .where('deployment_id', 'in', (eb) =>
          eb
            .selectFrom('announcements')
            .select('deployment_id')
            .where('updated_at', '<', before)
            .limit(limit),
        )
        .executeTakeFirst();
      const statuses = await db
        .deleteFrom('announced_statuses')
        .where('status_id', 'in', (eb) =>
          eb
            .selectFrom('announced_statuses')
            .select('status_id')
            .where('created_at', '<', before)
            .limit(limit),
        )
        .executeTakeFirst();
      const posts = await db
        .deleteFrom('chat_posts')
        .where('key', 'in', (eb) =>
          eb.selectFrom('chat_posts').select('key').where('created_at', '<', before).limit(limit),
        )
        .executeTakeFirst();
      return (
        Number(announcements.numDeletedRows) + Number(statuses.numDeletedRows) + Number(posts.numDeletedRows)
      );
    },

    async deleteKnownStatuses(before, limit) {
      const result = await db
        .deleteFrom('known_statuses')
        .where('deployment_id', 'in', (eb) =>
          eb
            .selectFrom('known_statuses')
            .select('deployment_id')
            .where('created_at', '<', before)
            .limit(limit),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async deleteDeployLogs(before, limit) {
      const result = await db
        .deleteFrom('deploy_log_chunks')
        .where(({ eb, refTuple, selectFrom }) =>
          eb(
            refTuple('deployment_id', 'seq'),
            'in',
            selectFrom('deploy_log_chunks')
              .select(['deployment_id', 'seq'])
              .where('created_at', '<', before)
              .limit(limit)
              .$asTuple('deployment_id', 'seq'),
          ),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

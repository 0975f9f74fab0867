import type { Selectable } from 'kysely';
import type { DeliveryStore, StoredDelivery } from '../core/ports/delivery-store.js';
import { type Database, isPostgres } from './database.js';
import { createRecordDelivery } from './record-deliveries.js';
import { deliveryPayloadColumn } from './records.js';
import type { WebhookDeliveryTable } from './schema.js';

export function createDeliveryStore(db: Database): DeliveryStore {
  return {
    // Deliveries arriving together are written in one statement: group commit (see batch-calls.ts).
    recordDelivery: createRecordDelivery(db),

    async recordIgnoredDelivery(deliveryId, event, receivedAt) {
      const result = await db
        .insertInto('webhook_deliveries')
        .values({
          delivery_id: deliveryId,
          event,
          action: null,
          partition_key: '',
          payload: deliveryPayloadColumn.encode(null),
          state: 'done',
          last_error: null,
          received_at: receivedAt,
          next_attempt_at: receivedAt,
          processed_at: receivedAt,
        })
        .onConflict((oc) => oc.column('delivery_id').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0 ? 'recorded' : 'duplicate';
    },

    async listRunnableDeliveries(now, limit, after) {
      let query = db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('state', '=', 'pending')
        .where('next_attempt_at', '<=', now);
      if (after) {
        query = query.where((eb) =>
          eb.or([
            eb('received_at', '>', after.receivedAt),
            eb.and([eb('received_at', '=', after.receivedAt), eb('delivery_id', '>', after.deliveryId)]),
          ]),
        );
      }
      const rows = await query.orderBy('received_at').orderBy('delivery_id').limit(limit).execute();
      return rows.map(toStoredDelivery);
    },

    async claimDeliveries(owner, now, ttlMs, limit) {
      const postgres = isPostgres(db);
      // The heads are chosen once, in a CTE: PostgreSQL may run a LIMIT subquery of an UPDATE more
      // than once, and would then claim more than `limit`.
      const rows = await db
        // The repositories with pending work (few), one index step each: the smallest key, then
        // the next one after it, and so on, rather than reading every pending row of a backlog.
        .withRecursive('partitions(partition_key)', (qb) =>
          qb
            .selectNoFrom((eb) =>
              eb
                .selectFrom('webhook_deliveries')
                .select((e) => e.fn.min('partition_key').as('partition_key'))
                .where('state', '=', 'pending')
                .as('partition_key'),
            )
            .unionAll((union) =>
              union
                .selectFrom('partitions as p')
                .select((eb) =>
                  eb
                    .selectFrom('webhook_deliveries as n')
                    .select((e) => e.fn.min('n.partition_key').as('partition_key'))
                    .where('n.state', '=', 'pending')
                    .whereRef('n.partition_key', '>', 'p.partition_key')
                    .as('partition_key'),
                )
                .where('p.partition_key', 'is not', null),
            ),
        )
        // The oldest unfinished delivery of each repository: the others wait their turn.
        .with('firsts', (qb) =>
          qb
            .selectFrom('partitions as p')
            .select((eb) =>
              eb
                .selectFrom('webhook_deliveries as o')
                .select('o.delivery_id')
                .whereRef('o.partition_key', '=', 'p.partition_key')
                .where('o.state', '=', 'pending')
                .orderBy('o.seq')
                .limit(1)
                .as('delivery_id'),
            ),
        )
        .with('heads', (qb) => {
          let heads = qb
            // Each head looked up by its id. SQLite keeps the left side of a CROSS JOIN as the outer
            // loop; joined otherwise, or tested `in (select …)`, its planner reads every pending row.
            .selectFrom('firsts')
            .crossJoin('webhook_deliveries as d')
            .whereRef('d.delivery_id', '=', 'firsts.delivery_id')
            .select('d.delivery_id')
            .where('d.state', '=', 'pending')
            .where('d.next_attempt_at', '<=', now)
            .where((w) => w.or([w('d.lease_expires_at', 'is', null), w('d.lease_expires_at', '<=', now)]))
            .orderBy('d.seq')
            .limit(limit);
          // PostgreSQL: rows another process is claiming right now are skipped, not waited for.
          if (postgres) heads = heads.forUpdate(['d']).skipLocked();
          return heads;
        })
        .updateTable('webhook_deliveries')
        .set({ lease_owner: owner, lease_expires_at: now + ttlMs })
        .where('delivery_id', 'in', (eb) => eb.selectFrom('heads').select('heads.delivery_id'))
        .$if(postgres, (update) =>
          update
            // Checked again on the row itself: another claim may have won since the heads were read.
            // SQLite runs the statement alone, so nothing can; and there the check would lead its
            // planner to read every pending row instead of the few heads.
            .where('state', '=', 'pending')
            .where((w) => w.or([w('lease_expires_at', 'is', null), w('lease_expires_at', '<=', now)])),
        )
        .returningAll()
        .execute();
      return rows.sort((a, b) => a.seq - b.seq).map(toStoredDelivery);
    },

    async renewDeliveryLeases(owner, now, ttlMs) {
      const rows = await db
        .updateTable('webhook_deliveries')
        .set({ lease_expires_at: now + ttlMs })
        .where('lease_owner', '=', owner)
        .where('state', '=', 'pending')
        .where('lease_expires_at', '>', now)
        .returning('delivery_id')
        .execute();
      return rows.map((row) => row.delivery_id);
    },

    async markDeliveryDone(deliveryId, now) {
      await db
        .updateTable('webhook_deliveries')
        .set({
          state: 'done',
          processed_at: now,
          last_error: null,
          lease_owner: null,
          lease_expires_at: null,
        })
        .where('delivery_id', '=', deliveryId)
        .execute();
    },

    async scheduleDeliveryRetry(deliveryId, error, nextAttemptAt) {
      await db
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          last_error: error,
          next_attempt_at: nextAttemptAt,
          lease_owner: null,
          lease_expires_at: null,
        }))
        .where('delivery_id', '=', deliveryId)
        .execute();
    },

    async postponeDelivery(deliveryId, error, nextAttemptAt) {
      await db
        .updateTable('webhook_deliveries')
        .set({ last_error: error, next_attempt_at: nextAttemptAt, lease_owner: null, lease_expires_at: null })
        .where('delivery_id', '=', deliveryId)
        .execute();
    },

    async markDeliveryFailed(deliveryId, error, now) {
      await db
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          state: 'failed',
          attempts: eb('attempts', '+', 1),
          last_error: error,
          processed_at: now,
          lease_owner: null,
          lease_expires_at: null,
        }))
        .where('delivery_id', '=', deliveryId)
        .execute();
    },

    async countDeliveries() {
      const row = await db
        .selectFrom('webhook_deliveries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

function toStoredDelivery(row: Selectable<WebhookDeliveryTable>): StoredDelivery {
  return {
    deliveryId: row.delivery_id,
    event: row.event,
    action: row.action ?? undefined,
    partitionKey: row.partition_key,
    payload: deliveryPayloadColumn.decode(row.payload),
    receivedAt: row.received_at,
    attempts: row.attempts,
  };
}

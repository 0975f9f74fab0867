import type { DeliveryStore } from '../core/ports/delivery-store.js';
import type { Database } from './database.js';
import { deliveryPayloadColumn } from './records.js';

export function createDeliveryStore(db: Database): DeliveryStore {
  return {
    async recordDelivery(delivery) {
      const result = await db
        .insertInto('webhook_deliveries')
        .values({
          delivery_id: delivery.deliveryId,
          event: delivery.event,
          action: delivery.action ?? null,
          partition_key: delivery.partitionKey,
          payload: deliveryPayloadColumn.encode(delivery.payload),
          state: 'pending',
          last_error: null,
          received_at: delivery.receivedAt,
          next_attempt_at: delivery.receivedAt,
          processed_at: null,
        })
        .onConflict((oc) => oc.column('delivery_id').doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) return 'recorded';
      const revived = await db
        .updateTable('webhook_deliveries')
        .set({ state: 'pending', attempts: 0, next_attempt_at: delivery.receivedAt, processed_at: null })
        .where('delivery_id', '=', delivery.deliveryId)
        .where('state', '=', 'failed')
        .executeTakeFirst();
      return Number(revived.numUpdatedRows) > 0 ? 'retried' : 'duplicate';
    },

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
      return rows.map((row) => ({
        deliveryId: row.delivery_id,
        event: row.event,
        action: row.action ?? undefined,
        partitionKey: row.partition_key,
        payload: deliveryPayloadColumn.decode(row.payload),
        receivedAt: row.received_at,
        attempts: row.attempts,
      }));
    },

    async markDeliveryDone(deliveryId, now) {
      await db
        .updateTable('webhook_deliveries')
        .set({ state: 'done', processed_at: now, last_error: null })
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
        }))
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

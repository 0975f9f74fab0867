import type { Database } from './database.js';

export interface NewDelivery {
  readonly deliveryId: string;
  readonly event: string;
  readonly action: string | undefined;
  readonly partitionKey: string;
  readonly payload: unknown;
  readonly receivedAt: number;
}

export interface StoredDelivery extends NewDelivery {
  readonly attempts: number;
}

export interface DeliveryStore {
  /**
   * Persists a delivery unless its id was seen before; says which. A redelivery of one that
   * failed for good (GitHub's "Redeliver" after fixing a token, say) is taken up again.
   */
  recordDelivery(delivery: NewDelivery): Promise<'recorded' | 'retried' | 'duplicate'>;
  /** Pending deliveries due by `now`, oldest first; `after` continues from the last one of a previous page. */
  listRunnableDeliveries(
    now: number,
    limit: number,
    after?: { readonly receivedAt: number; readonly deliveryId: string },
  ): Promise<StoredDelivery[]>;
  markDeliveryDone(deliveryId: string, now: number): Promise<void>;
  scheduleDeliveryRetry(deliveryId: string, error: string, nextAttemptAt: number): Promise<void>;
  markDeliveryFailed(deliveryId: string, error: string, now: number): Promise<void>;
  countDeliveries(): Promise<number>;
}

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
          payload: JSON.stringify(delivery.payload),
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
        payload: JSON.parse(row.payload) as unknown,
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

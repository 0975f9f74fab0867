import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase, type Database, migrateToLatest } from '../../../src/store/database.js';
import { migrationProvider } from '../../../src/store/migrations/index.js';
import { createStore } from '../../../src/store/store.js';
import { createSqliteDatabase, type TestDatabase } from '../../support/databases.js';

const opened: Array<{ db: Database; file: TestDatabase }> = [];
afterEach(async () => {
  for (const { db, file } of opened.splice(0)) {
    await db.destroy();
    await file.drop();
  }
});

async function openAt(migration: string): Promise<Database> {
  const file = await createSqliteDatabase();
  const db = createDatabase(file.setting, { onIdleConnectionError: () => undefined });
  opened.push({ db, file });
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(migration);
  if (error) throw error;
  return db;
}

const row = (deliveryId: string, state: 'pending' | 'done', receivedAt: number) => ({
  delivery_id: deliveryId,
  event: 'deployment_status',
  action: 'created',
  partition_key: 'octo-org/web',
  payload: JSON.stringify({ v: 1, data: { n: deliveryId } }),
  state,
  last_error: null,
  received_at: receivedAt,
  next_attempt_at: receivedAt,
  processed_at: state === 'done' ? receivedAt : null,
});

describe('migration 0016: the delivery order is SQLite’s rowid', () => {
  it('keeps every delivery, its order and its columns, and numbers new ones after them without a trigger', async () => {
    const db = await openAt('0015-delivery-heads');
    // Stored under 0014's trigger, out of id order, in one millisecond.
    for (const [id, state] of [
      ['z', 'done'],
      ['m', 'pending'],
      ['a', 'pending'],
    ] as const) {
      await db
        .insertInto('webhook_deliveries')
        .values(row(id, state, 5_000))
        .execute();
    }
    const before = await db.selectFrom('webhook_deliveries').selectAll().orderBy('seq').execute();
    expect(before.map((r) => r.delivery_id)).toEqual(['z', 'm', 'a']);

    await migrateToLatest(db);

    const after = await db.selectFrom('webhook_deliveries').selectAll().orderBy('seq').execute();
    expect(after).toEqual(before);
    const triggers = await sql<{
      name: string;
    }>`select name from sqlite_master where type = 'trigger'`.execute(db);
    expect(triggers.rows).toEqual([]);
    const indexes = await sql<{ name: string }>`
      select name from sqlite_master where type = 'index' and tbl_name = 'webhook_deliveries' and sql is not null
      order by name
    `.execute(db);
    expect(indexes.rows.map((r) => r.name)).toEqual([
      'webhook_deliveries_pending',
      'webhook_deliveries_state_partition_seq',
    ]);

    // The store on the rebuilt table: ids stay unique, new rows come after the old in their repository.
    const store = createStore(db);
    expect(await store.recordDelivery(delivery('m'))).toBe('duplicate');
    expect(await store.recordDelivery(delivery('b'))).toBe('recorded');
    const seqs = await db
      .selectFrom('webhook_deliveries')
      .select(['delivery_id', 'seq'])
      .orderBy('seq')
      .execute();
    expect(seqs.map((r) => r.delivery_id)).toEqual(['z', 'm', 'a', 'b']);
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      const [head] = await store.claimDeliveries('me', 10_000, 60_000, 10);
      order.push(head?.deliveryId ?? '-');
      await store.markDeliveryDone(head?.deliveryId ?? '', 10_000);
    }
    expect(order).toEqual(['m', 'a', 'b']);
  });
});

function delivery(deliveryId: string) {
  return {
    deliveryId,
    event: 'deployment_status',
    action: 'created',
    partitionKey: 'octo-org/web',
    payload: { n: deliveryId },
    receivedAt: 6_000,
  };
}

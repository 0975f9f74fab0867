import { CompiledQuery, sql } from 'kysely';
import { DeploybotError } from '../core/errors.js';
import type { DeliveryStore, NewDelivery } from '../core/ports/delivery-store.js';
import { batchCalls } from './batch-calls.js';
import { type Database, isPostgres, sqliteInlineOf } from './database.js';
import { deliveryPayloadColumn } from './records.js';

/** At most this many deliveries per statement: far below both databases' limits on bound parameters. */
const RECORD_BATCH = 64;

/**
 * SQLite commits one transaction at a time, so a second insert under way would only queue behind
 * the first: the deliveries it holds go in the next one instead. One at a time also keeps their
 * order: an insert waiting for the SQLite thread is never overtaken by one on the main thread.
 * PostgreSQL runs a few side by side (its pool has 10 connections) and groups their WAL flushes.
 */
const RECORD_FLUSHES = { sqlite: 1, postgres: 4 } as const;

type RecordOutcome = Awaited<ReturnType<DeliveryStore['recordDelivery']>>;

/**
 * Stores new deliveries in one statement; one already there is a duplicate, unless it failed for
 * good, when GitHub's redelivery takes it up again ('retried'). Each answered in order.
 */
async function recordDeliveries(
  db: Database,
  insert: InsertDeliveries,
  deliveries: readonly NewDelivery[],
): Promise<RecordOutcome[]> {
  // The same id twice in one batch: the first is written, the others are its duplicates.
  const first = new Map<string, number>();
  deliveries.forEach((d, i) => {
    if (!first.has(d.deliveryId)) first.set(d.deliveryId, i);
  });
  const unique = [...first.values()].map((i) => deliveries[i] as NewDelivery);
  const recorded = await insert(unique);
  const known = unique.filter((d) => !recorded.has(d.deliveryId));
  const revived = new Set<string>();
  if (known.length > 0) {
    const rows = await db
      .updateTable('webhook_deliveries')
      .set({
        state: 'pending',
        attempts: 0,
        next_attempt_at: Math.min(...known.map((d) => d.receivedAt)),
        processed_at: null,
      })
      .where(
        'delivery_id',
        'in',
        known.map((d) => d.deliveryId),
      )
      .where('state', '=', 'failed')
      .returning('delivery_id')
      .execute();
    for (const row of rows) revived.add(row.delivery_id);
  }
  return deliveries.map((d, i) => {
    if (first.get(d.deliveryId) !== i) return 'duplicate';
    if (recorded.has(d.deliveryId)) return 'recorded';
    return revived.has(d.deliveryId) ? 'retried' : 'duplicate';
  });
}

/** Stores the deliveries not there yet; answers the ids of those it stored. */
type InsertDeliveries = (deliveries: readonly NewDelivery[]) => Promise<ReadonlySet<string>>;

/** A new row's values, in the order the compiled insert takes them; the rest are constants in its text. */
function toNewRow(d: NewDelivery) {
  return {
    delivery_id: d.deliveryId,
    event: d.event,
    action: d.action ?? null,
    partition_key: d.partitionKey,
    payload: deliveryPayloadColumn.encode(d.payload),
    received_at: d.receivedAt,
    next_attempt_at: d.receivedAt,
  };
}

/**
 * The insert of new deliveries, built and compiled by Kysely once for each number of rows: a
 * burst's inserts differ in their values alone, and building the statement anew cost as much of
 * the main thread as running it. The first of each size checks that its values line up. Answers
 * the text with the deliveries' values, in its order.
 */
function compileInsert(db: Database, returning: boolean) {
  const compiled = new Map<number, string>();
  return (deliveries: readonly NewDelivery[]): { text: string; parameters: unknown[] } => {
    const rows = deliveries.map(toNewRow);
    const parameters = rows.flatMap((row) => Object.values(row));
    let text = compiled.get(rows.length);
    if (text !== undefined) return { text, parameters };
    const insert = db
      .insertInto('webhook_deliveries')
      // A constant in the text rather than a value bound to each row; the other columns' defaults are null.
      .values(rows.map((row) => ({ ...row, state: sql.lit('pending') })))
      .onConflict((oc) => oc.column('delivery_id').doNothing());
    const query = returning ? insert.returning('delivery_id').compile() : insert.compile();
    const aligned =
      query.parameters.length === parameters.length && query.parameters.every((p, i) => p === parameters[i]);
    if (!aligned)
      throw new DeploybotError('internal', 'the delivery insert does not take its values in row order');
    text = query.sql;
    compiled.set(rows.length, text);
    return { text, parameters };
  };
}

/** PostgreSQL says which rows it inserted. */
function createPostgresInsert(db: Database): InsertDeliveries {
  const compile = compileInsert(db, true);
  return async (deliveries) => {
    const { text, parameters } = compile(deliveries);
    const result = await db.executeQuery<{ delivery_id: string }>(CompiledQuery.raw(text, parameters));
    return new Set(result.rows.map((row) => row.delivery_id));
  };
}

/**
 * SQLite without RETURNING, which cost a fifth of the insert: rowids (`seq`) are numbered as rows
 * go in, so the rows one statement inserted are the last `changes` of them, up to the last one.
 * When all went in, as nearly always, that is all there is to know; otherwise those few rowids are
 * read back. Run on the main thread unless the SQLite thread holds the write lock (sqlite-inline.ts).
 */
function createSqliteInsert(db: Database): InsertDeliveries {
  const compile = compileInsert(db, false);
  const inline = sqliteInlineOf(db);
  const insertedText = 'select delivery_id from webhook_deliveries where seq between ? and ?';
  return async (deliveries) => {
    const { text, parameters } = compile(deliveries);
    let ran = inline?.tryRun(text, parameters);
    if (!ran) {
      const result = await db.executeQuery(CompiledQuery.raw(text, parameters));
      ran = { changes: Number(result.numAffectedRows ?? 0), lastInsertRowid: Number(result.insertId ?? 0) };
    }
    if (ran.changes === deliveries.length) return new Set(deliveries.map((d) => d.deliveryId));
    if (ran.changes === 0) return new Set();
    const range = [ran.lastInsertRowid - ran.changes + 1, ran.lastInsertRowid];
    const inserted =
      (inline?.tryAll(insertedText, range) as Array<{ delivery_id: string }> | undefined) ??
      (await db.executeQuery<{ delivery_id: string }>(CompiledQuery.raw(insertedText, range))).rows;
    return new Set(inserted.map((row) => row.delivery_id));
  };
}

/** Records each new delivery; those arriving together go in one statement and one commit. */
export function createRecordDelivery(db: Database): DeliveryStore['recordDelivery'] {
  const insert = isPostgres(db) ? createPostgresInsert(db) : createSqliteInsert(db);
  return batchCalls((deliveries) => recordDeliveries(db, insert, deliveries), {
    maxBatch: RECORD_BATCH,
    maxFlushes: RECORD_FLUSHES[isPostgres(db) ? 'postgres' : 'sqlite'],
  });
}

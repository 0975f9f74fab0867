import { statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteThreadDialect } from '../../src/store/sqlite-thread-dialect.js';
import { mapStoreError } from '../../src/store/store-errors.js';

interface Schema {
  items: { id: number; name: string };
}

const dirs: string[] = [];
const dbs: Kysely<Schema>[] = [];

async function open(options: { readonly busyTimeoutMs?: number } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'deploybot-thread-'));
  dirs.push(dir);
  const path = join(dir, 'nested', 'store.sqlite');
  const db = new Kysely<Schema>({
    dialect: createSqliteThreadDialect({
      path,
      busyTimeoutMs: options.busyTimeoutMs ?? 5_000,
      beforeOpen: async () => {
        await mkdir(join(dir, 'nested'), { recursive: true });
      },
    }),
  });
  dbs.push(db);
  await sql`create table items (id integer primary key, name text not null unique)`.execute(db);
  return { db, path };
}

afterEach(async () => {
  await Promise.all(dbs.splice(0).map((db) => db.destroy()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('SQLite on a thread of its own', () => {
  it('runs reads and writes, with the counts and ids Kysely reports', async () => {
    const { db, path } = await open();
    const inserted = await db.insertInto('items').values({ id: 7, name: 'web' }).executeTakeFirst();
    expect(inserted.insertId).toBe(7n);
    const updated = await db.updateTable('items').set({ name: 'api' }).where('id', '=', 7).executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(1n);
    const returned = await db
      .insertInto('items')
      .values({ id: 8, name: 'worker' })
      .returning(['id', 'name'])
      .execute();
    expect(returned).toEqual([{ id: 8, name: 'worker' }]);
    expect(await db.selectFrom('items').selectAll().orderBy('id').execute()).toEqual([
      { id: 7, name: 'api' },
      { id: 8, name: 'worker' },
    ]);
    // Written to the file itself, in WAL mode, where another connection reads it.
    const other = new SQLite(path, { readonly: true });
    expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(other.prepare('select count(*) as n from items').get()).toEqual({ n: 2 });
    other.close();
  });

  it('moves the WAL into the database file when writes pause, not in the middle of a burst', async () => {
    const { db, path } = await open();
    const walPages = () => statSync(`${path}-wal`).size / 4096;
    const fileBytes = () => statSync(path).size;
    // ~2,500 pages of WAL, one statement after another: SQLite's own checkpoint, at 1,000 pages,
    // would have run in the middle. All are asked for at once, so a busy test machine cannot put
    // a quiet spell between two of them.
    await Promise.all(
      Array.from({ length: 600 }, (_, i) =>
        db
          .insertInto('items')
          .values({ id: i, name: `${i}:${'x'.repeat(8_000)}` })
          .execute(),
      ),
    );
    expect(walPages()).toBeGreaterThan(2_000);
    // None of the burst is in the database file yet: the schema's few pages at most (they may have
    // been checkpointed in the quiet before the burst).
    expect(fileBytes()).toBeLessThan(64 * 1024);
    // Quiet now: the thread checkpoints on its own, in a fraction of a second. The checkpoint
    // writes page after page, so the file is watched until all of them are in, not until it grows.
    const checkpointed = () => fileBytes() > 600 * 8_000;
    for (let waited = 0; !checkpointed() && waited < 10_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(fileBytes()).toBeGreaterThan(600 * 8_000);
    // The next write starts the WAL over, from its beginning: the file does not grow.
    const walBytes = statSync(`${path}-wal`).size;
    await db.insertInto('items').values({ id: 1_000, name: 'after' }).execute();
    expect(statSync(`${path}-wal`).size).toBeLessThanOrEqual(walBytes);
    expect(
      await db
        .selectFrom('items')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst(),
    ).toEqual({
      n: 601,
    });
  });

  it('runs a transaction alone: a statement outside it waits for its end and sees none of a rollback', async () => {
    const { db } = await open();
    const order: string[] = [];
    let inside: () => void = () => undefined;
    const entered = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const failing = db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('items').values({ id: 1, name: 'inside' }).execute();
        inside();
        // The statement outside was asked for by now; it must not run in this transaction.
        await new Promise((resolve) => setTimeout(resolve, 30));
        order.push('transaction');
        throw new Error('rolled back');
      })
      .catch((error: Error) => error.message);
    await entered;
    const outside = db
      .selectFrom('items')
      .selectAll()
      .execute()
      .then((rows) => {
        order.push('outside');
        return rows;
      });
    expect(await failing).toBe('rolled back');
    expect(await outside).toEqual([]);
    expect(order).toEqual(['transaction', 'outside']);
  });

  it('sends a statement asked for just before a transaction begins ahead of it, not into it', async () => {
    const { db, path } = await open();
    await db.destroy();
    const driver = createSqliteThreadDialect({
      path,
      busyTimeoutMs: 5_000,
      beforeOpen: async () => {},
    }).createDriver();
    await driver.init();
    try {
      const [inside, outside] = [await driver.acquireConnection(), await driver.acquireConnection()];
      const insert = (id: number) =>
        CompiledQuery.raw('insert into items (id, name) values (?, ?)', [id, `n${id}`]);
      // Asked for in one synchronous stretch: the statement first, then the transaction's begin.
      const written = outside.executeQuery(insert(1));
      const began = driver.beginTransaction(inside, {});
      await began;
      await inside.executeQuery(insert(2));
      // A statement of another caller asked for now waits for the transaction's end.
      const waiting = outside.executeQuery(insert(3));
      await driver.rollbackTransaction(inside);
      await Promise.all([written, waiting]);
      const rows = await outside.executeQuery<{ id: number }>(
        CompiledQuery.raw('select id from items order by id'),
      );
      expect(rows.rows).toEqual([{ id: 1 }, { id: 3 }]);
    } finally {
      await driver.destroy();
    }
  });

  it('answers many statements asked for at once, each with its own result, in the order asked', async () => {
    const { db } = await open();
    const ids = Array.from({ length: 200 }, (_, i) => i + 1);
    const inserted = await Promise.all(
      ids.map((id) =>
        db
          .insertInto('items')
          .values({ id, name: `n${id}` })
          .returning('id')
          .executeTakeFirst(),
      ),
    );
    expect(inserted.map((row) => row?.id)).toEqual(ids);
    // A read asked for after them sees every write before it.
    const [count, duplicate] = await Promise.all([
      db
        .selectFrom('items')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst(),
      db
        .insertInto('items')
        .values({ id: 1, name: 'again' })
        .execute()
        .catch((error: { code?: unknown }) => error.code),
      db.insertInto('items').values({ id: 201, name: 'n201' }).execute(),
    ]);
    expect(count?.n).toBe(200);
    expect(duplicate).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    expect(await db.selectFrom('items').select('id').where('id', '=', 201).execute()).toEqual([{ id: 201 }]);
  });

  it("reports the driver's code, so a constraint is a bug and a busy database is worth another try", async () => {
    const { db, path } = await open({ busyTimeoutMs: 50 });
    await db.insertInto('items').values({ id: 1, name: 'web' }).execute();
    const duplicate = await db
      .insertInto('items')
      .values({ id: 2, name: 'web' })
      .execute()
      .catch((error: unknown) => error);
    expect((duplicate as { code?: unknown }).code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect(mapStoreError(duplicate).code).toBe('internal');

    const other = new SQLite(path);
    other.exec('begin immediate');
    const busy = await db
      .insertInto('items')
      .values({ id: 3, name: 'api' })
      .execute()
      .catch((error: unknown) => error);
    other.exec('rollback');
    other.close();
    expect((busy as { code?: unknown }).code).toBe('SQLITE_BUSY');
    expect(mapStoreError(busy)).toMatchObject({ code: 'store_unavailable', retryable: true });
    // The connection goes on after both.
    await db.insertInto('items').values({ id: 3, name: 'api' }).execute();
    expect(await db.selectFrom('items').select('name').orderBy('id').execute()).toEqual([
      { name: 'web' },
      { name: 'api' },
    ]);
  });
});

import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewDelivery } from '../../src/core/ports/delivery-store.js';
import { type Database, openDatabase, sqliteInlineOf } from '../../src/store/database.js';
import { createSqliteInline } from '../../src/store/sqlite-inline.js';
import { SQLITE_WAL } from '../../src/store/sqlite-thread.js';
import { createStore } from '../../src/store/store.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function open(path?: string): Promise<{ db: Database; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'deploybot-inline-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const file = path ?? join(dir, 'store.sqlite');
  const db = await openDatabase({ kind: 'sqlite', path: file });
  cleanups.push(() => db.destroy());
  return { db, path: file };
}

const INSERT = 'insert into home_viewers (user_id, opened_at) values (?, 1) returning user_id';

const delivery = (deliveryId: string): NewDelivery => ({
  deliveryId,
  event: 'deployment_status',
  action: 'created',
  partitionKey: 'octo-org/web',
  payload: { n: deliveryId },
  receivedAt: 1_000,
});

/** A transaction on the SQLite thread, held open until `end` is called. */
function holdTransaction(db: Database, first: (trx: Database) => Promise<unknown>) {
  let end: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => {
    end = resolve;
  });
  let began: () => void = () => undefined;
  const inside = new Promise<void>((resolve) => {
    began = resolve;
  });
  const done = db.transaction().execute(async (trx) => {
    await first(trx);
    began();
    await ended;
    await trx.insertInto('home_viewers').values({ user_id: 'U-trx', opened_at: 1 }).execute();
  });
  return { inside, end, done };
}

describe("the main thread's own SQLite connection", () => {
  it('runs a statement once the thread has opened the file, and the thread sees what it wrote', async () => {
    const { db } = await open();
    const inline = sqliteInlineOf(db);
    expect(inline).toBeDefined();
    expect(inline?.tryAll(INSERT, ['U1'])).toEqual([{ user_id: 'U1' }]);
    expect(await db.selectFrom('home_viewers').select('user_id').execute()).toEqual([{ user_id: 'U1' }]);
    // SQLite's 2 MB page cache, not better-sqlite3's 16 MB: inserts need a few pages of it.
    expect(inline?.tryAll('pragma cache_size', [])).toEqual([{ cache_size: -2000 }]);
  });

  it('runs nothing before it is enabled or after it is closed', async () => {
    const { db, path } = await open();
    const inline = createSqliteInline({ path, walKeptBytes: 1_024 });
    expect(inline.tryAll(INSERT, ['U-early'])).toBeUndefined();
    inline.enable();
    expect(inline.tryAll(INSERT, ['U-on'])).toEqual([{ user_id: 'U-on' }]);
    inline.close();
    expect(inline.tryAll(INSERT, ['U-late'])).toBeUndefined();
    expect(await db.selectFrom('home_viewers').select('user_id').execute()).toEqual([{ user_id: 'U-on' }]);
  });

  it("leaves the statement to the thread while a transaction of the thread's is under way, even one that only read so far", async () => {
    const { db } = await open();
    const inline = sqliteInlineOf(db);
    // Read first: a deferred transaction would let the main thread write here, then fail its own write.
    const held = holdTransaction(db, (trx) => trx.selectFrom('home_viewers').selectAll().execute());
    await held.inside;
    expect(inline?.tryAll(INSERT, ['U-during'])).toBeUndefined();
    held.end();
    await held.done;
    expect(inline?.tryAll(INSERT, ['U-after'])).toEqual([{ user_id: 'U-after' }]);
    expect(await db.selectFrom('home_viewers').select('user_id').orderBy('user_id').execute()).toEqual([
      { user_id: 'U-after' },
      { user_id: 'U-trx' },
    ]);
  });

  it('throws what SQLite refuses for any other reason, with its code', async () => {
    const { db } = await open();
    const inline = sqliteInlineOf(db);
    inline?.tryAll(INSERT, ['U1']);
    expect(() => inline?.tryAll(INSERT, ['U1'])).toThrow(
      expect.objectContaining({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }),
    );
  });

  it('never checkpoints, however long the WAL grows: the next write of the thread does, off the event loop', async () => {
    const { db, path } = await open();
    await sql`create table blobs (b text not null)`.execute(db);
    // The thread's quiet checkpoint after the migrations, out of the way first.
    await new Promise((resolve) => setTimeout(resolve, 2 * SQLITE_WAL.quietMs));
    const inline = sqliteInlineOf(db);
    const before = statSync(path).size;
    const megabyte = 'x'.repeat(1024 * 1024);
    const pages = () => statSync(`${path}-wal`).size / 4096;
    // ~17,000 pages: past the bound at which the thread's connection checkpoints by itself.
    for (let i = 0; i < 68; i++) {
      expect(inline?.tryAll('insert into blobs (b) values (?) returning rowid', [megabyte])).toHaveLength(1);
    }
    expect(pages()).toBeGreaterThan(SQLITE_WAL.boundPages);
    expect(statSync(path).size).toBe(before);
    await db.insertInto('home_viewers').values({ user_id: 'U1', opened_at: 1 }).execute();
    expect(statSync(path).size).toBeGreaterThan(before + SQLITE_WAL.boundPages * 4096);
  });

  it('has none for a database in memory, which another connection would not see', async () => {
    const db = await openDatabase({ kind: 'sqlite', path: ':memory:' });
    cleanups.push(() => db.destroy());
    expect(sqliteInlineOf(db)).toBeUndefined();
  });

  it('keeps the order deliveries came in when one waits for the thread and the next could have gone first', async () => {
    const { db } = await open();
    const store = createStore(db);
    const held = holdTransaction(db, async () => undefined);
    await held.inside;
    // The first waits for the thread's transaction; the second comes while it waits.
    const first = store.recordDelivery(delivery('first'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = store.recordDelivery(delivery('second'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    held.end();
    expect(await Promise.all([first, second, held.done])).toEqual(['recorded', 'recorded', undefined]);
    const claimed: string[] = [];
    for (let i = 0; i < 2; i++) {
      const [head] = await store.claimDeliveries('me', 10_000, 60_000, 10);
      claimed.push(head?.deliveryId ?? '-');
      await store.markDeliveryDone(head?.deliveryId ?? '', 10_000);
    }
    expect(claimed).toEqual(['first', 'second']);
  });

  it('tells new deliveries from ones already stored when their insert waited for the thread', async () => {
    const { db } = await open();
    const store = createStore(db);
    expect(await store.recordDelivery(delivery('old'))).toBe('recorded');
    const held = holdTransaction(db, async () => undefined);
    await held.inside;
    // One statement, which SQLite's thread runs once its transaction ends: two of three are new.
    const burst = ['x', 'old', 'y'].map((id) => store.recordDelivery(delivery(id)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    held.end();
    expect(await Promise.all(burst)).toEqual(['recorded', 'duplicate', 'recorded']);
    await held.done;
    expect(await store.countDeliveries()).toBe(3);
  });
});

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach } from 'vitest';
import type { DatabaseSetting } from '../../src/store/database.js';
import { openDatabase } from '../../src/store/database.js';
import { createStore, type Store } from '../../src/store/store.js';
import { createMemoryStore } from './memory/memory-store.js';
import { isPostgresAvailable, NO_POSTGRES_NOTE, POSTGRES_URL } from './postgres-probe.js';

export { POSTGRES_URL } from './postgres-probe.js';

/** Names the test run, so its schemas can be told from another run's (see global-setup.ts). */
export const TEST_RUN_ENV = 'DEPLOYBOT_TEST_RUN';

export interface TestDatabase {
  readonly name: string;
  readonly setting: DatabaseSetting;
  drop(): Promise<void>;
}

export async function createSqliteDatabase(): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'deploybot-store-'));
  return {
    name: 'sqlite',
    setting: { kind: 'sqlite', path: join(dir, 'test.sqlite') },
    drop: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A fresh schema in the machine's PostgreSQL, so parallel test files never share tables. */
export async function createPostgresDatabase(): Promise<TestDatabase> {
  const run = process.env[TEST_RUN_ENV] ?? `${Date.now()}x${process.pid}`;
  const schema = `deploybot_test_${run}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    name: 'postgres',
    setting: { kind: 'postgres', url },
    // Dropped after the run (global-setup.ts): dropping it now could break another file's migration.
    drop: async () => undefined,
  };
}

export const DATABASES = [
  ['sqlite', createSqliteDatabase],
  ['postgres', createPostgresDatabase],
] as const;

/** Where the store contract suites run: both databases, and the in-memory store use-case tests rely on. */
export const STORES = [...DATABASES, ['memory', 'memory']] as const;

/**
 * Skips each test of the calling `describe` when it runs on PostgreSQL (`database`, a name of
 * DATABASES) and the run found none; loudly: the run ends listing them (skip-banner-reporter.ts).
 */
export function skipWithoutPostgres(database = 'postgres'): void {
  beforeEach((context) => {
    if (database === 'postgres' && !isPostgresAvailable()) context.skip(NO_POSTGRES_NOTE);
  });
}

/**
 * A fresh store for each test of the calling `describe`, on the given database kind.
 * Returns a getter, since the store only exists once `beforeEach` has run.
 */
export function useTestStore(createDatabase: (() => Promise<TestDatabase>) | 'memory'): () => Store {
  let database: TestDatabase | undefined;
  let store: Store | undefined;
  beforeEach(async (context) => {
    if (createDatabase === createPostgresDatabase && !isPostgresAvailable()) {
      context.skip(NO_POSTGRES_NOTE);
      return;
    }
    if (createDatabase === 'memory') {
      store = createMemoryStore();
      return;
    }
    database = await createDatabase();
    store = createStore(await openDatabase(database.setting));
  });
  afterEach(async () => {
    await store?.close();
    await database?.drop();
    store = undefined;
  });
  return () => {
    if (!store) throw new Error('the store exists only inside a test');
    return store;
  };
}

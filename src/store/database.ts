import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseSetting } from '../config/settings.js';
import { DeploybotError } from '../core/errors.js';
import { migrationProvider } from './migrations/index.js';
import type { DatabaseSchema } from './schema.js';
import type { SqliteInline } from './sqlite-inline.js';
import { createSqliteThreadDialect, SqliteThreadAdapter } from './sqlite-thread-dialect.js';

export type { DatabaseSetting } from '../config/settings.js';

export type Database = Kysely<DatabaseSchema>;

// bigint columns hold epoch milliseconds and GitHub ids, all below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface DatabaseEvents {
  /** A pooled PostgreSQL connection failed while idle; without a listener pg would crash the process. */
  readonly onIdleConnectionError: (error: Error) => void;
}

/**
 * The database handle, with no I/O yet: SQLite's file is opened, and PostgreSQL connected to,
 * on the first query. `migrateDatabase` brings the schema up to date before anything else.
 */
export function createDatabase(setting: DatabaseSetting, events: DatabaseEvents): Database {
  if (setting.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: setting.url, max: 10 });
    pool.on('error', events.onIdleConnectionError);
    // A connection lost while checked out (mid-query, mid-transaction) errors on the client, where
    // the pool listens only while it is idle: unheard, pg's 'error' would crash the process. The
    // query that was running fails with the error, which is how it is reported.
    pool.on('connect', (client) => client.on('error', () => undefined));
    return new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  }
  return new Kysely<DatabaseSchema>({
    dialect: createSqliteThreadDialect({
      path: setting.path,
      busyTimeoutMs: setting.busyTimeoutMs ?? 5_000,
      beforeOpen: async () => {
        if (setting.path !== ':memory:') await mkdir(dirname(setting.path), { recursive: true });
      },
    }),
  });
}

/** Brings the schema up to date; the first I/O a database handle does. */
export async function migrateDatabase(db: Database, setting: DatabaseSetting): Promise<void> {
  // Kysely looks for its bookkeeping tables in every schema of a PostgreSQL database; pinning
  // them to the connection's own schema keeps two deploybots in two schemas apart.
  const schema =
    setting.kind === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  await migrateToLatest(db, schema);
}

/** Opens the database and brings its schema up to date, for tools and tests that need no events. */
export async function openDatabase(setting: DatabaseSetting): Promise<Database> {
  const db = createDatabase(setting, { onIdleConnectionError: () => undefined });
  try {
    await migrateDatabase(db, setting);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}

export async function migrateToLatest(db: Kysely<DatabaseSchema>, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new DeploybotError('store_unavailable', `database migration ${failed} failed`, { cause: error });
  }
}

/** Whether the handle talks to PostgreSQL, whose row locks (`FOR UPDATE SKIP LOCKED`) SQLite lacks. */
export function isPostgres(db: Database): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** The main thread's own connection to a SQLite file, for the statements that skip the thread. */
export function sqliteInlineOf(db: Database): SqliteInline | undefined {
  const adapter = db.getExecutor().adapter;
  return adapter instanceof SqliteThreadAdapter ? adapter.inline : undefined;
}

/** A cheap round trip, for the health check. */
export async function pingDatabase(db: Database): Promise<void> {
  await sql`select 1`.execute(db);
}

import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { type SqliteThread, startSqliteThread } from './sqlite-thread.js';

export interface SqliteThreadDialectOptions {
  readonly path: string;
  readonly busyTimeoutMs: number;
  /** Before the file is opened: its directory made. */
  readonly beforeOpen: () => Promise<void>;
}

/**
 * Kysely's SQLite dialect with the connection on a thread of its own. better-sqlite3 is
 * synchronous: on the main thread every commit (~1 ms to write the WAL here) stops the event loop
 * that answers GitHub and Slack. On its own thread the write goes on while requests are read.
 */
export function createSqliteThreadDialect(options: SqliteThreadDialectOptions): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => createDriver(options),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}

function createDriver(options: SqliteThreadDialectOptions): Driver {
  let thread: SqliteThread | undefined;
  // SQLite has one connection: whoever holds it (a transaction, say) runs alone, as in Kysely's own.
  let held: Promise<void> = Promise.resolve();
  let release: () => void = () => undefined;

  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      if (!thread) throw new Error('the database is not open');
      const result = await thread.request({ op: 'run', sql: query.sql, parameters: query.parameters });
      if (result.changes === undefined) return { rows: result.rows as R[] };
      return {
        rows: result.rows as R[],
        numAffectedRows: BigInt(result.changes),
        insertId: result.lastInsertRowid === undefined ? undefined : BigInt(result.lastInsertRowid),
      } as QueryResult<R>;
    },
    // biome-ignore lint/correctness/useYield: the store streams nothing; Kysely's interface needs one.
    async *streamQuery() {
      throw new Error('streaming is not supported on the SQLite thread');
    },
  };

  return {
    async init() {
      await options.beforeOpen();
      thread = startSqliteThread();
      await thread.request({ op: 'open', path: options.path, busyTimeoutMs: options.busyTimeoutMs });
    },
    async acquireConnection() {
      const previous = held;
      let unlock: () => void = () => undefined;
      held = new Promise((resolve) => {
        unlock = resolve;
      });
      await previous;
      release = unlock;
      return connection;
    },
    async beginTransaction(conn) {
      await conn.executeQuery(CompiledQuery.raw('begin'));
    },
    async commitTransaction(conn) {
      await conn.executeQuery(CompiledQuery.raw('commit'));
    },
    async rollbackTransaction(conn) {
      await conn.executeQuery(CompiledQuery.raw('rollback'));
    },
    async releaseConnection() {
      release();
    },
    async destroy() {
      if (!thread) return;
      try {
        await thread.request({ op: 'close' });
      } finally {
        await thread.terminate();
        thread = undefined;
      }
    },
  };
}

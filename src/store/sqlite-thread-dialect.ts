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
  // SQLite has one connection, so a transaction runs alone: from its `begin` to its end, statements
  // of other callers wait. Statements outside transactions are sent at once, without waiting for
  // the one before to be answered: the thread runs them in order, and a burst costs one wake-up.
  let owner: DatabaseConnection | undefined;
  let ownerEnded: Promise<void> = Promise.resolve();
  let endOwner: () => void = () => undefined;

  function release(connection: DatabaseConnection): void {
    if (owner !== connection) return;
    owner = undefined;
    endOwner();
  }

  function createConnection(): DatabaseConnection {
    const connection: DatabaseConnection = {
      async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
        // Nothing is awaited between this check and the request: a transaction begun meanwhile
        // would otherwise take this statement in.
        while (owner !== undefined && owner !== connection) await ownerEnded;
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
    return connection;
  }

  return {
    async init() {
      await options.beforeOpen();
      thread = startSqliteThread();
      await thread.request({ op: 'open', path: options.path, busyTimeoutMs: options.busyTimeoutMs });
    },
    async acquireConnection() {
      return createConnection();
    },
    async beginTransaction(connection) {
      while (owner !== undefined) await ownerEnded;
      owner = connection;
      ownerEnded = new Promise((resolve) => {
        endOwner = resolve;
      });
      try {
        await connection.executeQuery(CompiledQuery.raw('begin'));
      } catch (error) {
        // Kysely rolls back only a transaction that began.
        release(connection);
        throw error;
      }
    },
    async commitTransaction(connection) {
      // A commit that fails leaves the transaction open for Kysely's rollback, which ends it.
      await connection.executeQuery(CompiledQuery.raw('commit'));
      release(connection);
    },
    async rollbackTransaction(connection) {
      try {
        await connection.executeQuery(CompiledQuery.raw('rollback'));
      } finally {
        release(connection);
      }
    },
    async releaseConnection(connection) {
      // A transaction Kysely gave up on without ending it must not hold the others back for ever.
      release(connection);
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

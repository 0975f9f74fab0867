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
import { createSqliteInline, type SqliteInline } from './sqlite-inline.js';
import { SQLITE_WAL, type SqliteThread, startSqliteThread } from './sqlite-thread.js';

export interface SqliteThreadDialectOptions {
  readonly path: string;
  readonly busyTimeoutMs: number;
  /** Before the file is opened: its directory made. */
  readonly beforeOpen: () => Promise<void>;
}

/**
 * Kysely's SQLite dialect with the connection on a thread of its own. better-sqlite3 is
 * synchronous: on the main thread every statement stops the event loop that answers GitHub and
 * Slack, and the store's claims and transactions take milliseconds. On its own thread they go on
 * while requests are read. The adapter carries a second connection, on the main thread, for the
 * one statement cheaper to run than to send: the webhook delivery insert (sqlite-inline.ts).
 */
export function createSqliteThreadDialect(options: SqliteThreadDialectOptions): Dialect {
  // A database in memory is the thread's alone: another connection would open another database.
  const inline =
    options.path === ':memory:'
      ? undefined
      : createSqliteInline({ path: options.path, walKeptBytes: SQLITE_WAL.keptBytes });
  return {
    createAdapter: () => new SqliteThreadAdapter(inline),
    createDriver: () => createDriver(options, inline),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}

/** SQLite's adapter, carrying the main thread's connection for the store's hottest insert. */
export class SqliteThreadAdapter extends SqliteAdapter {
  constructor(readonly inline: SqliteInline | undefined) {
    super();
  }
}

function createDriver(options: SqliteThreadDialectOptions, inline: SqliteInline | undefined): Driver {
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
      inline?.enable();
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
        // IMMEDIATE takes the write lock at once. A deferred transaction that read first would
        // fail on its first write if the main thread's connection had written in between.
        await connection.executeQuery(CompiledQuery.raw('begin immediate'));
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
      inline?.close();
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

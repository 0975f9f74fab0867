import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

/**
 * A second connection to the SQLite file, on the main thread, for the statement that does better
 * without the round trip to the SQLite thread: the webhook delivery insert. Under a burst, waking
 * the thread and being woken by its answer cost the main thread more than the insert itself, and
 * every request waited for both (README, Performance).
 *
 * It never waits for SQLite's write lock: while the thread holds it (a statement or a transaction
 * of its own under way), `tryAll` answers `undefined` and the statement is the thread's to run.
 */
export interface SqliteInline {
  /** The rows of a statement that returns rows, or `undefined` when it is the thread's to run. */
  tryAll(sql: string, parameters: readonly unknown[]): unknown[] | undefined;
  /** What a statement that returns no rows changed, or `undefined` when it is the thread's to run. */
  tryRun(sql: string, parameters: readonly unknown[]): SqliteRunResult | undefined;
  /** From now on statements may run here: the thread has opened the file and set it up. */
  enable(): void;
  close(): void;
}

export interface SqliteRunResult {
  readonly changes: number;
  /** The rowid of the last row inserted on this connection. */
  readonly lastInsertRowid: number;
}

export interface SqliteInlineOptions {
  readonly path: string;
  /** The WAL's size on disk once checkpointed, as on the thread, which may leave it to this one to cut. */
  readonly walKeptBytes: number;
}

// better-sqlite3's `code`: SQLITE_BUSY, or one of its extended codes.
const BUSY = /^SQLITE_BUSY/;

// The statements run here are few: the delivery insert, one text for each number of rows.
const MAX_STATEMENTS = 100;

export function createSqliteInline(options: SqliteInlineOptions): SqliteInline {
  let enabled = false;
  let db: BetterSqlite3.Database | undefined;
  const statements = new Map<string, BetterSqlite3.Statement>();

  function open(): BetterSqlite3.Database {
    // Loaded on the first statement: a deploybot that receives no webhook, or runs on PostgreSQL,
    // never loads the driver on the main thread.
    const SQLite = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    const opened = new SQLite(options.path);
    // The thread set journal_mode = WAL, which the file keeps; these belong to each connection.
    opened.pragma('synchronous = NORMAL');
    opened.pragma('busy_timeout = 0');
    opened.pragma('foreign_keys = ON');
    // Checkpoints are the thread's, which writes after every delivery stored here (it claims,
    // then settles it), and in its commits checks the WAL's size whoever wrote it: one here would
    // stop the event loop while it copies the WAL into the database file.
    opened.pragma('wal_autocheckpoint = 0');
    opened.pragma(`journal_size_limit = ${options.walKeptBytes}`);
    // SQLite's own default rather than better-sqlite3's 16 MB: an insert touches the table's last
    // page and a few index pages, and the rest of a large store would sit here for nothing.
    opened.pragma('cache_size = -2000');
    return opened;
  }

  function prepare(connection: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement {
    let statement = statements.get(sql);
    if (!statement) {
      statement = connection.prepare(sql);
      if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value as string);
      statements.set(sql, statement);
    }
    return statement;
  }

  function attempt<T>(sql: string, run: (statement: BetterSqlite3.Statement) => T): T | undefined {
    if (!enabled) return undefined;
    db ??= open();
    try {
      return run(prepare(db, sql));
    } catch (error) {
      // Another connection holds the write lock: the thread's, whose busy timeout waits for it.
      if (BUSY.test(String((error as { code?: unknown }).code))) return undefined;
      throw error;
    }
  }

  return {
    tryAll: (sql, parameters) => attempt(sql, (statement) => statement.all(...(parameters as unknown[]))),
    tryRun: (sql, parameters) =>
      attempt(sql, (statement) => {
        const ran = statement.run(...(parameters as unknown[]));
        return { changes: ran.changes, lastInsertRowid: Number(ran.lastInsertRowid) };
      }),
    enable() {
      enabled = true;
    },
    close() {
      enabled = false;
      statements.clear();
      db?.close();
      db = undefined;
    },
  };
}

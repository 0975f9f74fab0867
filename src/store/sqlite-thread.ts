import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** What the SQLite thread is asked: open the file, run one statement, or close. */
export type ThreadRequest =
  | { readonly id: number; readonly op: 'open'; readonly path: string; readonly busyTimeoutMs: number }
  | { readonly id: number; readonly op: 'run'; readonly sql: string; readonly parameters: readonly unknown[] }
  | { readonly id: number; readonly op: 'close' };

export interface ThreadResult {
  readonly rows: readonly unknown[];
  readonly changes?: number;
  readonly lastInsertRowid?: number;
}

type ThreadReply =
  | { readonly id: number; readonly ok: true; readonly result: ThreadResult }
  | {
      readonly id: number;
      readonly ok: false;
      readonly error: { readonly name: string; readonly message: string; readonly code?: unknown };
    };

/**
 * A SQLite connection on a thread of its own: statements are asked for and answered by message,
 * run in the order asked, each answered by its id.
 */
export interface SqliteThread {
  request(request: DistributiveOmit<ThreadRequest, 'id'>): Promise<ThreadResult>;
  terminate(): Promise<void>;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Runs on the thread, in a worker of its own. It is passed to the worker as source text, so it
 * uses nothing from this module: better-sqlite3 comes by the path the caller resolved, and the
 * worker's `require` as an argument (a bundler rewrites calls of `require` itself).
 */
function runSqliteThread(load: NodeJS.Require): void {
  const { parentPort, receiveMessageOnPort, workerData } = load(
    'node:worker_threads',
  ) as typeof import('node:worker_threads');
  const SQLite = load(workerData.driverPath) as typeof import('better-sqlite3');
  let db: import('better-sqlite3').Database | undefined;
  const statements = new Map<string, import('better-sqlite3').Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      if (!db) throw new Error('the database is not open');
      statement = db.prepare(sql);
      statements.set(sql, statement);
      // The store has far fewer distinct statements; a bound against a caller building SQL freely.
      if (statements.size > 1000) statements.delete(statements.keys().next().value as string);
    }
    return statement;
  };
  const wal: typeof SQLITE_WAL = workerData.wal;
  let written = false;
  let quiet: ReturnType<typeof setTimeout> | undefined;
  const checkpoint = () => {
    quiet = undefined;
    if (!db || !written) return;
    written = false;
    try {
      // PASSIVE: whatever a reader still needs is left for the next one; nothing waits on it.
      db.pragma('wal_checkpoint(PASSIVE)');
      // better-sqlite3 gives each connection a 16 MB page cache, which a burst fills and nothing
      // empties: 60 s after one, this connection's cache held ~16 MB of deploybot's ~113 MB. The
      // pages stay in the operating system's cache, and a read after the quiet takes them from there.
      db.pragma('shrink_memory');
    } catch {
      // A checkpoint that fails leaves the WAL as it was: the quiet after the next statement tries again.
      written = true;
    }
  };
  const answer = (request: ThreadRequest): ThreadReply => {
    try {
      let result: ThreadResult = { rows: [] };
      if (request.op === 'open') {
        db = new SQLite(request.path);
        db.pragma('journal_mode = WAL');
        // A commit reaches the operating system before it returns, so a crash of the process (a
        // kill, an OOM, a restart) loses nothing; the WAL is fsynced at checkpoints rather than at
        // every commit, so a power loss may lose the last moments' writes, which for deployments
        // reconciliation finds again. FULL cost ~1.5 ms a commit here (README, Performance).
        db.pragma('synchronous = NORMAL');
        db.pragma(`busy_timeout = ${Math.trunc(request.busyTimeoutMs)}`);
        db.pragma('foreign_keys = ON');
        // Checkpoints move the WAL into the database file: SQLite's own, every 1,000 pages, ran in
        // the commit that crossed the line, ~30 µs a row of a webhook burst and a stall of every
        // statement queued behind it. They run when the thread is quiet instead (below); SQLite's
        // stays as the bound on the WAL of a write load that never pauses.
        db.pragma(`wal_autocheckpoint = ${wal.boundPages}`);
        // A WAL grown past this is cut back to it once checkpointed.
        db.pragma(`journal_size_limit = ${wal.keptBytes}`);
      } else if (request.op === 'run') {
        const statement = prepare(request.sql);
        // An insert with RETURNING is a reader too: what decides is whether it may write.
        if (!statement.readonly) written = true;
        if (statement.reader) {
          result = { rows: statement.all(...(request.parameters as unknown[])) };
        } else {
          const ran = statement.run(...(request.parameters as unknown[]));
          result = { rows: [], changes: ran.changes, lastInsertRowid: Number(ran.lastInsertRowid) };
        }
      } else {
        statements.clear();
        if (quiet) clearTimeout(quiet);
        db?.close();
        db = undefined;
      }
      return { id: request.id, ok: true, result };
    } catch (error) {
      const e = error as { name?: string; message?: string; code?: unknown };
      return {
        id: request.id,
        ok: false,
        error: { name: e.name ?? 'Error', message: e.message ?? String(error), code: e.code },
      };
    }
  };
  parentPort?.on('message', (batch: readonly ThreadRequest[]) => {
    const replies = batch.map(answer);
    // What came meanwhile is answered in the same reply: one wake-up of the main thread for all.
    if (parentPort) {
      for (let next = receiveMessageOnPort(parentPort); next; next = receiveMessageOnPort(parentPort)) {
        for (const request of next.message as readonly ThreadRequest[]) replies.push(answer(request));
      }
    }
    parentPort?.postMessage(replies);
    if (written) {
      if (quiet) clearTimeout(quiet);
      quiet = setTimeout(checkpoint, wal.quietMs);
      // The checkpoint waits for quiet, not the other way round: it keeps no process alive.
      quiet.unref();
    }
  });
}

/** The error the thread reported, with the driver's `code` that store-errors.ts decides on. */
class SqliteThreadError extends Error {
  readonly code: unknown;
  constructor(reported: { readonly name: string; readonly message: string; readonly code?: unknown }) {
    super(reported.message);
    this.name = reported.name;
    this.code = reported.code;
  }
}

// Statements asked of every SQLite thread of the process and not yet answered.
let inFlight = 0;

/**
 * How many statements the process's SQLite threads are running or have queued. A test's manual
 * clock waits for none before it moves: with the store on the main thread, they were all done.
 */
export function countSqliteStatementsInFlight(): number {
  return inFlight;
}

/**
 * tsx and esbuild's keepNames wrap named functions in a `__name` helper of the module; the
 * function's source names it, and the worker, which has no such module, would fail on it.
 */
const NAME_HELPER = 'var __name = (target) => target;\n';

// 64 MiB of the default 4 KiB pages.
const WAL_BOUND_PAGES = 16_384;

/** How the WAL is kept, on the thread and on any other connection of the process to the file. */
export const SQLITE_WAL = {
  /** How long the thread waits without a statement before it checkpoints what was written. */
  quietMs: 200,
  /** SQLite's own checkpoint, in the commit that takes the WAL past this many pages. */
  boundPages: WAL_BOUND_PAGES,
  /**
   * The WAL's size on disk once checkpointed, at most: as large as the bound lets it grow, so a
   * WAL that starts over writes into the file's pages the kernel still holds. Cut back to 4 MiB
   * after each checkpoint, it was grown again, page by page, by every burst: the delivery insert
   * cost ~18 µs a row against ~15 µs kept (README, Performance). It costs up to 64 MiB of disk.
   */
  keptBytes: WAL_BOUND_PAGES * 4096,
} as const;

export function startSqliteThread(): SqliteThread {
  const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(`${NAME_HELPER}(${runSqliteThread.toString()})(require)`, {
    eval: true,
    workerData: { driverPath, wal: SQLITE_WAL },
  });
  const waiting = new Map<number, { resolve: (r: ThreadResult) => void; reject: (e: Error) => void }>();
  let next = 0;
  // An idle connection does not keep the process alive; one with a statement under way does.
  worker.unref();
  worker.on('message', (replies: readonly ThreadReply[]) => {
    for (const reply of replies) {
      const pending = waiting.get(reply.id);
      if (!pending) continue;
      waiting.delete(reply.id);
      inFlight -= 1;
      if (reply.ok) pending.resolve(reply.result);
      else pending.reject(new SqliteThreadError(reply.error));
    }
    if (waiting.size === 0) worker.unref();
  });
  // Once the thread is gone, every statement fails at once, as a database that cannot be opened.
  let gone: Error | undefined;
  const end = (error: Error) => {
    gone ??= error;
    for (const pending of waiting.values()) pending.reject(gone);
    inFlight -= waiting.size;
    waiting.clear();
  };
  worker.on('error', (error) => end(error));
  worker.on('exit', () =>
    end(
      new SqliteThreadError({ name: 'Error', message: 'the SQLite thread ended', code: 'SQLITE_CANTOPEN' }),
    ),
  );
  // Statements asked for in one turn go in one message: waking the thread costs the main thread
  // ~50 µs a message here, far more than copying the statements.
  let outbox: ThreadRequest[] = [];
  const send = () => {
    const batch = outbox;
    outbox = [];
    worker.postMessage(batch);
  };
  return {
    request(request) {
      const id = next++;
      return new Promise((resolve, reject) => {
        if (gone) {
          reject(gone);
          return;
        }
        if (waiting.size === 0) worker.ref();
        waiting.set(id, { resolve, reject });
        inFlight += 1;
        outbox.push({ ...request, id } as ThreadRequest);
        if (outbox.length === 1) queueMicrotask(send);
      });
    },
    async terminate() {
      await worker.terminate();
    },
  };
}

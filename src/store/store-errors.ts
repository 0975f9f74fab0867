import { DeploybotError } from '../core/errors.js';

// SQLite result codes (better-sqlite3 puts them on `code`) that pass: another writer, a full disk.
const SQLITE_TRANSIENT = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|PROTOCOL)/;
// PostgreSQL SQLSTATEs that pass: connection (08), serialization and deadlock (40001, 40P01),
// server shutting down or restarting (57P01–57P03, e.g. pg_terminate_backend), too many connections.
const POSTGRES_TRANSIENT = /^(08|40001|40P01|57P0[123]|53300|53400)/;
// Socket errors Node puts on `code` when the database cannot be reached.
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

interface DriverError {
  readonly code?: unknown;
  /** pg's DatabaseError has one; a connection-level failure of pg has neither code nor severity. */
  readonly severity?: unknown;
}

/**
 * What a database failure means, decided on the driver's codes: worth another try
 * (`store_unavailable`, retryable), or a bug to report (`internal`).
 */
export function mapStoreError(error: unknown): DeploybotError {
  if (error instanceof DeploybotError) return error;
  const e = (error ?? {}) as DriverError;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const transient =
    code === undefined
      ? // pg reports a dropped connection as a plain Error: no SQLSTATE, no severity.
        error instanceof Error && e.severity === undefined
      : SQLITE_TRANSIENT.test(code) || POSTGRES_TRANSIENT.test(code) || NETWORK.has(code);
  return transient
    ? new DeploybotError('store_unavailable', 'the database did not answer', {
        cause: error,
        details: { code },
      })
    : new DeploybotError('internal', 'the database refused a query', { cause: error, details: { code } });
}

/** The same store with every failure of its methods mapped by `mapStoreError`. */
export function withStoreErrors<T extends object>(store: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(store)) {
    wrapped[name] =
      typeof value === 'function'
        ? async (...args: unknown[]) => {
            try {
              return await (value as (...a: unknown[]) => Promise<unknown>).apply(store, args);
            } catch (error) {
              throw mapStoreError(error);
            }
          }
        : value;
  }
  return wrapped as T;
}

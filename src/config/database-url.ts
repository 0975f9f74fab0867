import { resolve } from 'node:path';

/** SQLite's `busyTimeoutMs`: how long a write waits for another connection's lock before SQLITE_BUSY (5 s). */
export type DatabaseSetting =
  | { kind: 'sqlite'; path: string; busyTimeoutMs?: number }
  | { kind: 'postgres'; url: string };

type Report = (where: string, message: string, fix?: string) => void;

const FIX =
  'Use sqlite:PATH for a SQLite file (relative to the working directory), sqlite::memory: for an in-memory database, or postgres://USER:PASSWORD@HOST:5432/DATABASE for PostgreSQL; unset it for ./data/deploybot.sqlite';

/** Reads DATABASE_URL; problems go to `report`, and the default is returned so parsing can go on. */
export function readDatabaseUrl(raw: string | undefined, cwd: string, report: Report): DatabaseSetting {
  const fallback: DatabaseSetting = { kind: 'sqlite', path: resolve(cwd, 'data', 'deploybot.sqlite') };
  if (raw === undefined) return fallback;
  if (raw === 'sqlite::memory:') return { kind: 'sqlite', path: ':memory:' };
  if (raw.startsWith('sqlite:')) {
    // sqlite:///abs/path and sqlite://rel/path are common spellings of sqlite:PATH.
    const path = raw.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path !== '') return { kind: 'sqlite', path: resolve(cwd, path) };
    report('DATABASE_URL', 'is "sqlite:" without a file path', FIX);
    return fallback;
  }
  if (/^postgres(ql)?:\/\//.test(raw)) {
    try {
      if (new URL(raw).hostname !== '') return { kind: 'postgres', url: raw };
    } catch {
      // reported below
    }
    report('DATABASE_URL', 'is not a valid postgres:// URL', FIX);
    return fallback;
  }
  // Only the scheme is shown: the rest may contain a password.
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(raw)?.[1];
  report(
    'DATABASE_URL',
    scheme
      ? `uses "${scheme}:", which deploybot does not support`
      : 'is neither a sqlite: nor a postgres:// URL',
    FIX,
  );
  return fallback;
}

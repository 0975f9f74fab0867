import { join } from 'node:path';
import SQLite from 'better-sqlite3';

/** Reads what the app stored, through a second connection to its SQLite file (WAL allows it). */
export function countRows(dataDir: string, table: string): number {
  const db = new SQLite(join(dataDir, 'deploybot.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare(`select count(*) as n from ${table}`).get() as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}

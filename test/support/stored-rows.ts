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

/** A stored webhook delivery's event, state and payload text, or undefined. */
export function readDelivery(
  dataDir: string,
  deliveryId: string,
): { event: string; state: string; payload: string } | undefined {
  const db = new SQLite(join(dataDir, 'deploybot.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('select event, state, payload from webhook_deliveries where delivery_id = ?')
      .get(deliveryId) as { event: string; state: string; payload: string } | undefined;
  } finally {
    db.close();
  }
}

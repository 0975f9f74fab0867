/** A fresh schema in the machine's PostgreSQL for the replica benches, dropped afterwards. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { POSTGRES_URL } from '../test/support/databases.js';

export interface BenchSchema {
  /** DATABASE_URL for deploybot: the schema first on its search_path. */
  readonly url: string;
  drop(): Promise<void>;
}

/** Undefined when no PostgreSQL answers at POSTGRES_URL; the bench then says what it skipped. */
export async function createBenchSchema(): Promise<BenchSchema | undefined> {
  const schema = `deploybot_bench_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await admin.connect();
  } catch {
    return undefined;
  }
  try {
    await admin.query(`create schema ${schema}`);
  } finally {
    await admin.end();
  }
  return {
    url: `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

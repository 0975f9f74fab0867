import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createSqliteDatabase, POSTGRES_URL, type TestDatabase } from '../databases.js';

/**
 * A PostgreSQL database of its own rather than a schema in the shared one: Kysely's
 * migrator looks for its bookkeeping tables in every schema of the database, so two test
 * files migrating side by side in one database can see each other's tables.
 */
export async function createIsolatedPostgresDatabase(): Promise<TestDatabase> {
  const name = `deploybot_test_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    name: 'postgres',
    setting: { kind: 'postgres', url: url.toString() },
    drop: () => admin(`drop database ${name} with (force)`),
  };
}

export const DEPLOYER_DATABASES = [
  ['sqlite', createSqliteDatabase],
  ['postgres', createIsolatedPostgresDatabase],
] as const;

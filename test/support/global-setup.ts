import pg from 'pg';
import { POSTGRES_URL } from './databases.js';

/**
 * Test schemas are dropped once, before and after the whole run, never while test files run:
 * Kysely's introspection lists every schema of the database, and one dropped under it fails
 * another file's migration.
 */
async function dropTestSchemas(): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  try {
    await client.connect();
  } catch {
    // No PostgreSQL: the PostgreSQL tests report that themselves.
    return;
  }
  try {
    const { rows } = await client.query<{ name: string }>(
      "select nspname as name from pg_namespace where nspname like 'deploybot_test_%'",
    );
    for (const { name } of rows) await client.query(`drop schema if exists "${name}" cascade`);
  } finally {
    await client.end();
  }
}

export async function setup(): Promise<void> {
  await dropTestSchemas();
}

export async function teardown(): Promise<void> {
  await dropTestSchemas();
}

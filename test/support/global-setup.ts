import pg from 'pg';
import { TEST_RUN_ENV } from './databases.js';
import { POSTGRES_PROBE_ENV, POSTGRES_URL, probePostgres } from './postgres-probe.js';

// A run's schemas are named deploybot_test_<run>_…, <run> starting with the run's start time.
const STALE_AFTER_MS = 6 * 60 * 60 * 1000;
const run = `${Date.now()}x${process.pid}`;

/**
 * This run's test schemas are dropped after the run, never while test files run: Kysely's
 * introspection lists every schema of the database, and one dropped under it fails another
 * file's migration. Another run going on at the same time (a second checkout) keeps its own;
 * schemas left by a run that was killed are dropped once they are hours old.
 */
async function dropTestSchemas(which: (name: string) => boolean): Promise<void> {
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
    for (const { name } of rows.filter((r) => which(r.name))) {
      await client.query(`drop schema if exists "${name}" cascade`);
    }
  } finally {
    await client.end();
  }
}

function isStale(name: string): boolean {
  const started = /^deploybot_test_(\d+)x/.exec(name)?.[1];
  return started !== undefined && Date.now() - Number(started) > STALE_AFTER_MS;
}

export async function setup(): Promise<void> {
  // Test workers inherit the environment of the process that runs this.
  process.env[TEST_RUN_ENV] = run;
  // DEPLOYBOT_TEST_POSTGRES=unreachable pretends there is none, to see what such a run says.
  const available = process.env[POSTGRES_PROBE_ENV] !== 'unreachable' && (await probePostgres());
  process.env[POSTGRES_PROBE_ENV] = available ? 'available' : 'unreachable';
  if (!available) {
    // Said now and again at the end (skip-banner-reporter.ts), with every suite skipped.
    process.stdout.write(`\n!! No PostgreSQL at 127.0.0.1:5432: its suites will be SKIPPED.\n\n`);
  }
  await dropTestSchemas(isStale);
}

export async function teardown(): Promise<void> {
  await dropTestSchemas((name) => name.startsWith(`deploybot_test_${run}_`));
}

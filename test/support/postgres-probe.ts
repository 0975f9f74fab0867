import pg from 'pg';

/** The machine's PostgreSQL, where the PostgreSQL suites run. */
export const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
/** Set by global-setup.ts for the test workers: whether PostgreSQL answered when the run began. */
export const POSTGRES_PROBE_ENV = 'DEPLOYBOT_TEST_POSTGRES';
/** The note on every test skipped for want of PostgreSQL; the banner reporter lists them by it. */
export const NO_POSTGRES_NOTE = 'no PostgreSQL at 127.0.0.1:5432';

/** Whether the run found PostgreSQL; true when not probed (a worker started by hand). */
export function isPostgresAvailable(): boolean {
  return process.env[POSTGRES_PROBE_ENV] !== 'unreachable';
}

/** One connection attempt, given up after `timeoutMs`. */
export async function probePostgres(timeoutMs = 3_000): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

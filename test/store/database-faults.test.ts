import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDeploymentStatusPayload, deriveSha } from '../../src/stand-ins/github-payloads.js';
import { type DatabaseSetting, openDatabase } from '../../src/store/database.js';
import { createPostgresDatabase, POSTGRES_URL, skipWithoutPostgres } from '../support/databases.js';
import { type Harness, type HarnessOptions, startHarness } from '../support/harness.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A deployment another tool created, one status each: the announcement is what handling it does. */
const statusPayload = (n: number) =>
  buildDeploymentStatusPayload({
    repo: 'octo-org/web',
    deployment: { id: 7_000 + n, ref: 'main', environment: 'staging', creator: 'octocat' },
    status: { id: 8_000 + n, state: 'success' },
  });

/** Sends as GitHub does, and redelivers (same delivery id) what deploybot answered 503, as a user would. */
async function deliver(h: Harness, n: number): Promise<{ refused: number; outcome: unknown }> {
  let refused = 0;
  for (;;) {
    const answer = await h.sendWebhook('deployment_status', statusPayload(n), { deliveryId: `fault-${n}` });
    if (answer.status === 200) return { refused, outcome: JSON.parse(answer.body).status };
    expect(answer.status).toBe(503);
    refused += 1;
    await pause(100);
  }
}

async function deliveryStates(setting: DatabaseSetting): Promise<Record<string, string>> {
  const db = await openDatabase(setting);
  try {
    const rows = await db.selectFrom('webhook_deliveries').select(['delivery_id', 'state']).execute();
    return Object.fromEntries(rows.map((row) => [row.delivery_id, row.state]));
  } finally {
    await db.destroy();
  }
}

const allDone = (count: number) =>
  Object.fromEntries([...Array(count).keys()].map((n) => [`fault-${n}`, 'done']));

async function healthz(h: Harness): Promise<number> {
  return (await fetch(`${h.url}/healthz`)).status;
}

async function waitForHealth(h: Harness, status: number): Promise<void> {
  for (let tries = 0; (await healthz(h)) !== status; tries++) {
    if (tries > 100) throw new Error(`/healthz never answered ${status}`);
    await pause(50);
  }
}

/** Every announcement went out: one top-level message per deployment. */
function announcedDeployments(h: Harness): number {
  return h.slack.messagesIn('C0WEB').length;
}

async function startOn(
  database: DatabaseSetting,
  extra: Omit<HarnessOptions, 'database'> = {},
): Promise<Harness> {
  const h = await startHarness({ database, ...extra });
  h.github.addRepository('octo-org/web');
  h.github.setRef('octo-org/web', 'main', deriveSha('web-main'));
  return h;
}

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of running.splice(0).reverse()) await stop();
});

describe('PostgreSQL connections killed mid-run', () => {
  skipWithoutPostgres();
  it('handles every webhook sent before, during and after, and keeps running', async () => {
    const database = await createPostgresDatabase();
    const name = `deploybot_faults_${randomBytes(4).toString('hex')}`;
    if (database.setting.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const setting: DatabaseSetting = {
      kind: 'postgres',
      url: `${database.setting.url}&application_name=${name}`,
    };
    const h = await startOn(setting);
    running.push(() => h.stop());
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    running.push(() => admin.end());
    // Only this app's connections: other test files share the database.
    const killConnections = async () =>
      (
        await admin.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
          [name],
        )
      ).rowCount ?? 0;

    for (let n = 0; n < 5; n++) await deliver(h, n);
    await h.app.idle();
    // Idle pooled connections die: pg's 'error' on the pool must not crash the process.
    expect(await killConnections()).toBeGreaterThan(0);
    const dropped = () => h.logs.some((line) => line.includes('a database connection dropped while idle'));
    for (let tries = 0; tries < 100 && !dropped(); tries++) await pause(50);
    expect(dropped()).toBe(true);

    const sending = Promise.all([...Array(20).keys()].map((i) => deliver(h, 5 + i)));
    let kills = 0;
    for (let round = 0; round < 5; round++) {
      await pause(40);
      kills += await killConnections();
    }
    await sending;
    for (let n = 25; n < 30; n++) await deliver(h, n);
    await h.app.idle();

    expect(kills).toBeGreaterThan(0);
    expect(await deliveryStates(setting)).toEqual(allDone(30));
    expect(announcedDeployments(h)).toBeGreaterThanOrEqual(30);
    expect(await healthz(h)).toBe(200);
  }, 60_000);
});

describe('PostgreSQL refusing connections for 10 seconds', () => {
  skipWithoutPostgres();
  it('answers 503 meanwhile, then takes the redeliveries and the pending work without a restart', async () => {
    const database = await createPostgresDatabase();
    if (database.setting.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const proxy: TcpProxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    running.push(() => proxy.close());
    const direct = database.setting.url;
    const viaProxy = direct.replace('127.0.0.1:5432', `127.0.0.1:${proxy.port}`);
    const h = await startHarness({
      database: { kind: 'postgres', url: viaProxy },
      // The retry falls inside the outage: pending work the store holds while it is away.
      timings: { webhookRetryDelayMs: () => 2_000 },
    });
    running.push(() => h.stop());
    h.github.addRepository('octo-org/web');
    h.github.setRef('octo-org/web', 'main', deriveSha('web-main'));

    for (let n = 0; n < 3; n++) await deliver(h, n);
    await h.app.idle();
    h.slack.failNext('chat.postMessage', 'internal_error', 1);
    await deliver(h, 3);
    await h.slack.waitForCall('chat.postMessage', (c) => c.response.ok === false);

    await proxy.stop();
    const outageEnds = Date.now() + 10_000;
    await waitForHealth(h, 503);
    const refusedDuring: number[] = [];
    for (let n = 4; n < 7; n++) {
      const answer = await h.sendWebhook('deployment_status', statusPayload(n), { deliveryId: `fault-${n}` });
      refusedDuring.push(answer.status);
    }
    expect(refusedDuring).toEqual([503, 503, 503]);
    await pause(Math.max(0, outageEnds - Date.now()));
    expect(await healthz(h)).toBe(503);
    await proxy.start();

    await waitForHealth(h, 200);
    // Taken as new: the refused deliveries left nothing behind.
    for (let n = 4; n < 7; n++) expect((await deliver(h, n)).outcome).toBe('accepted');
    await h.app.idle();
    expect(await deliveryStates({ kind: 'postgres', url: direct })).toEqual(allDone(7));
    expect(announcedDeployments(h)).toBe(7);
    expect(h.logs.some((line) => line.includes('could not claim webhook deliveries'))).toBe(true);
  }, 60_000);
});

describe('SQLite locked by another connection past busy_timeout', () => {
  it('loses no delivery and handles them all once the lock goes', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'deploybot-busy-'));
    running.push(() => rm(dataDir, { recursive: true, force: true }));
    const path = join(dataDir, 'deploybot.sqlite');
    const h = await startOn(
      { kind: 'sqlite', path, busyTimeoutMs: 100 },
      // The retry falls while the lock is held: pending work that must wait for it.
      { dataDir, timings: { webhookRetryDelayMs: () => 300 } },
    );
    running.push(() => h.stop());
    for (let n = 0; n < 2; n++) await deliver(h, n);
    await h.app.idle();
    h.slack.failNext('chat.postMessage', 'internal_error', 1);
    await deliver(h, 2);
    await h.slack.waitForCall('chat.postMessage', (c) => c.response.ok === false);

    const other = new SQLite(path);
    other.pragma('busy_timeout = 0');
    other.exec('BEGIN IMMEDIATE');
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      other.exec('ROLLBACK');
      other.close();
    };
    running.push(async () => release());

    const answers: number[] = [];
    for (let n = 3; n < 6; n++) {
      const answer = await h.sendWebhook('deployment_status', statusPayload(n), { deliveryId: `fault-${n}` });
      answers.push(answer.status);
    }
    // Nothing half-written: refused while the lock is held, to be redelivered.
    expect(answers).toEqual([503, 503, 503]);
    await pause(1_000);
    release();

    // Taken as new: the refused deliveries left nothing behind.
    for (let n = 3; n < 6; n++) expect((await deliver(h, n)).outcome).toBe('accepted');
    await h.app.idle();
    expect(await deliveryStates({ kind: 'sqlite', path })).toEqual(allDone(6));
    expect(announcedDeployments(h)).toBe(6);
    expect(await healthz(h)).toBe(200);
  }, 60_000);
});

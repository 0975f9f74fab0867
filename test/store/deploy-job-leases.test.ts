import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewDeployJob } from '../../src/core/ports/deploy-job-store.js';
import { createDatabase as createDatabaseHandle, openDatabase } from '../../src/store/database.js';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { createStore, type Store } from '../../src/store/store.js';
import { DATABASES, STORES, type TestDatabase, useTestStore } from '../support/databases.js';

const LANE = 'octo-org/web:staging';

const job = (id: number, enqueuedAt: number, lane = LANE): NewDeployJob => ({
  deploymentId: id,
  repository: 'octo-org/web',
  environment: lane.split(':')[1] as string,
  lane,
  ref: 'main',
  sha: 'a'.repeat(40),
  task: 'deploy',
  creator: 'octocat',
  payload: {},
  logToken: `token-${id}`,
  enqueuedAt,
});

const outcome = { state: 'success' as const, description: 'deployed in 3s' };

describe.each(STORES)('deploy job leases on %s', (_name, createDatabase) => {
  const storeOf = useTestStore(createDatabase);

  it('holds a claimed job until its lease expires, and renews only the runner’s own', async () => {
    await storeOf().recordDeployJob(job(1001, 10));
    await storeOf().recordDeployJob(job(1002, 10, 'octo-org/web:production'));
    expect(await storeOf().claimDeployJob(1001, LANE, 'host-a:1:x', 100, 20_000)).toBe(true);
    expect(await storeOf().claimDeployJob(1002, 'octo-org/web:production', 'host-b:2:y', 100, 20_000)).toBe(
      true,
    );
    expect(await storeOf().getDeployJob(1001)).toMatchObject({
      runner: 'host-a:1:x',
      leaseExpiresAt: 20_100,
    });

    expect(await storeOf().renewDeployJobLeases('host-a:1:x', 5_000, 20_000)).toEqual([1001]);
    expect(await storeOf().getDeployJob(1001)).toMatchObject({ leaseExpiresAt: 25_000 });
    expect(await storeOf().getDeployJob(1002)).toMatchObject({ leaseExpiresAt: 20_100 });

    // A finished job holds nothing, and is renewed no more.
    expect(await storeOf().finishDeployJob(1001, 'running', outcome, 6_000)).toBe(true);
    expect(await storeOf().renewDeployJobLeases('host-a:1:x', 7_000, 20_000)).toEqual([]);
    expect(await storeOf().getDeployJob(1001)).toMatchObject({ leaseExpiresAt: undefined });
  });

  it('takes a job over only as it was read, once, and the old runner then holds nothing', async () => {
    await storeOf().recordDeployJob(job(1001, 10));
    await storeOf().claimDeployJob(1001, LANE, 'host-a:1:x', 100, 20_000);
    const held = { runner: 'host-a:1:x', leaseExpiresAt: 20_100 };

    // The runner renewed after we read it: our view is stale, nothing changes.
    await storeOf().renewDeployJobLeases('host-a:1:x', 10_000, 20_000);
    expect(await storeOf().takeOverDeployJob(1001, held, 'host-b:2:y', 30_000, 20_000)).toBe(false);
    expect(await storeOf().getDeployJob(1001)).toMatchObject({
      runner: 'host-a:1:x',
      leaseExpiresAt: 30_000,
    });

    const expired = { runner: 'host-a:1:x', leaseExpiresAt: 30_000 };
    expect(await storeOf().takeOverDeployJob(1001, expired, 'host-b:2:y', 31_000, 20_000)).toBe(true);
    expect(await storeOf().takeOverDeployJob(1001, expired, 'host-c:3:z', 31_000, 20_000)).toBe(false);
    expect(await storeOf().getDeployJob(1001)).toMatchObject({
      state: 'running',
      runner: 'host-b:2:y',
      leaseExpiresAt: 51_000,
    });
    expect(await storeOf().renewDeployJobLeases('host-a:1:x', 32_000, 20_000)).toEqual([]);
    expect(await storeOf().renewDeployJobLeases('host-b:2:y', 32_000, 20_000)).toEqual([1001]);
  });

  it('lets a job claimed without a lease be taken over, and never a job not running', async () => {
    await storeOf().recordDeployJob(job(1001, 10));
    await storeOf().recordDeployJob(job(1002, 20));
    await storeOf().claimDeployJob(1001, LANE, 'a-process-that-died', 100);
    expect(await storeOf().getDeployJob(1001)).toMatchObject({ leaseExpiresAt: undefined });
    const held = { runner: 'a-process-that-died', leaseExpiresAt: undefined };
    expect(await storeOf().takeOverDeployJob(1001, held, 'host-b:2:y', 200, 20_000)).toBe(true);
    const queued = { runner: undefined, leaseExpiresAt: undefined };
    expect(await storeOf().takeOverDeployJob(1002, queued, 'host-b:2:y', 200, 20_000)).toBe(false);
    expect(await storeOf().getDeployJob(1002)).toMatchObject({ state: 'queued', runner: undefined });
  });

  it('frees the lane once the job taken over is finished', async () => {
    await storeOf().recordDeployJob(job(1001, 10));
    await storeOf().recordDeployJob(job(1002, 20));
    await storeOf().claimDeployJob(1001, LANE, 'host-a:1:x', 100, 1_000);
    expect(await storeOf().claimDeployJob(1002, LANE, 'host-b:2:y', 5_000, 1_000)).toBe(false);
    const held = { runner: 'host-a:1:x', leaseExpiresAt: 1_100 };
    expect(await storeOf().takeOverDeployJob(1001, held, 'host-b:2:y', 5_000, 1_000)).toBe(true);
    const stopped = { state: 'error' as const, description: 'the deploybot process running it stopped' };
    expect(await storeOf().finishDeployJob(1001, 'running', stopped, 5_001)).toBe(true);
    expect(await storeOf().claimDeployJob(1002, LANE, 'host-b:2:y', 5_002, 1_000)).toBe(true);
  });

  it('gives an owed final status to one process at a time, until its claim lapses', async () => {
    await storeOf().recordDeployJob(job(1001, 10));
    await storeOf().recordDeployJob(job(1002, 20));
    expect(await storeOf().claimFinalDeployStatus(1001, 'a', 100, 1_000)).toBe(false);
    await storeOf().claimDeployJob(1001, LANE, 'a', 100, 1_000);
    await storeOf().finishDeployJob(1001, 'running', outcome, 200);

    expect(await storeOf().claimFinalDeployStatus(1001, 'a', 300, 1_000)).toBe(true);
    expect(await storeOf().claimFinalDeployStatus(1001, 'b', 400, 1_400)).toBe(false);
    // Its owner may hold it longer, e.g. until a retry after a back-off.
    expect(await storeOf().claimFinalDeployStatus(1001, 'a', 500, 5_000)).toBe(true);
    expect(await storeOf().claimFinalDeployStatus(1001, 'b', 4_999, 6_000)).toBe(false);
    expect(await storeOf().claimFinalDeployStatus(1001, 'b', 5_000, 6_000)).toBe(true);
    await storeOf().settleFinalDeployStatus(1001, 'posted');
    expect(await storeOf().claimFinalDeployStatus(1001, 'b', 5_001, 7_000)).toBe(false);
  });

  it('records a cancel asked of a running job for its runner only, and none of a job not running', async () => {
    await storeOf().recordDeployJob(job(1201, 10));
    await storeOf().recordDeployJob(job(1202, 11, 'octo-org/web:production'));
    expect(await storeOf().requestDeployJobCancel(1201, 'alice')).toBe(false);
    await storeOf().claimDeployJob(1201, LANE, 'host-a:1:x', 100, 20_000);
    await storeOf().claimDeployJob(1202, 'octo-org/web:production', 'host-b:2:y', 100, 20_000);
    expect(await storeOf().requestDeployJobCancel(1201, 'alice')).toBe(true);
    expect(await storeOf().listCancelRequests('host-a:1:x')).toEqual([{ deploymentId: 1201, by: 'alice' }]);
    expect(await storeOf().listCancelRequests('host-b:2:y')).toEqual([]);
    await storeOf().finishDeployJob(1201, 'running', outcome, 200);
    expect(await storeOf().listCancelRequests('host-a:1:x')).toEqual([]);
    expect(await storeOf().requestDeployJobCancel(1201, 'bob')).toBe(false);
  });

  it('lets one claim of telling a waiting job why it waits win, and one more when a lock comes', async () => {
    await storeOf().recordDeployJob(job(1301, 10));
    expect(await storeOf().claimQueuedNotice(1301, 'turn')).toBe('first');
    expect(await storeOf().claimQueuedNotice(1301, 'turn')).toBe(false);
    expect(await storeOf().claimQueuedNotice(1301, 'lock')).toBe('again');
    expect(await storeOf().claimQueuedNotice(1301, 'lock')).toBe(false);
    expect(await storeOf().claimQueuedNotice(1301, 'turn')).toBe(false);
    await storeOf().recordDeployJob(job(1302, 11));
    expect(await storeOf().claimQueuedNotice(1302, 'lock')).toBe('first');
    expect(await storeOf().claimQueuedNotice(1302, 'lock')).toBe(false);
    // One that no longer waits is told nothing.
    await storeOf().recordDeployJob(job(1303, 12, 'octo-org/web:production'));
    await storeOf().claimDeployJob(1303, 'octo-org/web:production', 'host-a:1:x', 100, 20_000);
    expect(await storeOf().claimQueuedNotice(1303, 'turn')).toBe(false);
  });

  it('records a refused final status announced once', async () => {
    await storeOf().recordDeployJob(job(1001, 10));
    expect(await storeOf().recordFinalStatusWarned(1001, 100)).toBe(true);
    expect(await storeOf().recordFinalStatusWarned(1001, 200)).toBe(false);
    expect(await storeOf().recordFinalStatusWarned(9999, 200)).toBe(false);
  });
});

/**
 * Two handles on one database are two processes: their claims for different jobs of one lane
 * race in the database, where a NOT EXISTS check alone is write skew under READ COMMITTED.
 */
describe.each(DATABASES)('the lane under concurrent claims on %s', (_name, createDatabase) => {
  let database: TestDatabase | undefined;
  const stores: Store[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await database?.drop();
  });

  it('never runs two jobs of one lane, over many rounds', { timeout: 60_000 }, async () => {
    database = await createDatabase();
    const first = createStore(await openDatabase(database.setting));
    stores.push(first);
    const second = createStore(await openDatabase(database.setting));
    stores.push(second);
    const rounds = 50;
    let wins = 0;
    for (let round = 0; round < rounds; round++) {
      const [a, b] = [2 * round + 1, 2 * round + 2];
      await first.recordDeployJob(job(a, round));
      await first.recordDeployJob(job(b, round));
      const claims = await Promise.all([
        first.claimDeployJob(a, LANE, 'process-a', 100, 20_000),
        second.claimDeployJob(b, LANE, 'process-b', 100, 20_000),
      ]);
      const running = (await first.listUnfinishedDeployJobs(10)).filter((j) => j.state === 'running');
      expect(running).toHaveLength(1);
      expect(claims.filter(Boolean)).toHaveLength(1);
      wins += 1;
      const [winner] = running;
      await first.finishDeployJob(winner?.deploymentId ?? 0, 'running', outcome, 200);
      // The loser waits its turn; finished too, so the next round starts with a free lane.
      const loser = winner?.deploymentId === a ? b : a;
      await second.finishDeployJob(loser, 'queued', outcome, 200);
    }
    expect(wins).toBe(rounds);
  });
});

describe.each(DATABASES)('migration 0006 on %s', (_name, createDatabase) => {
  it('finishes all but one of the running jobs a lane had before the index, so it can be made', async () => {
    const database = await createDatabase();
    const db = createDatabase_(database);
    try {
      const migrator = new Migrator({ db, provider: migrationProvider, ...(await schemaOf(db, database)) });
      const before = await migrator.migrateTo('0005-delivery-leases');
      expect(before.error).toBeUndefined();
      const row = (id: number, lane: string) => ({
        deployment_id: id,
        repository: 'octo-org/web',
        environment: lane.split(':')[1] as string,
        lane,
        ref: 'main',
        sha: 'a'.repeat(40),
        log_token: `token-${id}`,
        state: 'running' as const,
        enqueued_at: id,
        started_at: id + 1,
        runner: 'old',
      });
      await db
        .insertInto('deploy_jobs')
        .values([row(1, LANE), row(2, LANE), row(3, 'octo-org/web:production')])
        .execute();
      const after = await migrator.migrateToLatest();
      expect(after.error).toBeUndefined();
      const store = createStore(db);
      expect(await store.getDeployJob(1)).toMatchObject({ state: 'running' });
      expect(await store.getDeployJob(3)).toMatchObject({ state: 'running' });
      expect(await store.getDeployJob(2)).toMatchObject({
        state: 'finished',
        finishedAt: 3,
        outcome: { state: 'error', description: 'the deploybot process running it stopped' },
        finalStatus: 'owed',
      });
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});

function createDatabase_(database: TestDatabase) {
  return createDatabaseHandle(database.setting, { onIdleConnectionError: () => undefined });
}

/** PostgreSQL: Kysely's bookkeeping in the connection's own schema, as migrateDatabase pins it. */
async function schemaOf(db: ReturnType<typeof createDatabase_>, database: TestDatabase) {
  if (database.setting.kind !== 'postgres') return {};
  const rows = (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows;
  return { migrationTableSchema: rows[0]?.schema as string };
}

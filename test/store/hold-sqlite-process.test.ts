import { describe, expect, it } from 'vitest';
import { DeploybotError, presentError } from '../../src/core/errors.js';
import { holdSqliteProcess, SQLITE_PROCESS_LEASE } from '../../src/store/hold-sqlite-process.js';
import { createManualScheduler } from '../support/manual-scheduler.js';
import { createMemoryLog } from '../support/memory/memory-log.js';
import { createMemoryStore } from '../support/memory/memory-store.js';

const FIRST = 'deploy-1:100:first';
const SECOND = 'deploy-1:200:second';

function setUp(gone: readonly string[] = []) {
  const leases = createMemoryStore();
  const scheduler = createManualScheduler(1_000);
  const log = createMemoryLog();
  const hold = (owner: string) =>
    holdSqliteProcess({
      leases,
      owner,
      liveness: { isOnThisHost: () => true, isGone: (runner) => gone.includes(runner) },
      scheduler,
      log,
      path: '/srv/deploybot/data/deploybot.sqlite',
      ttlMs: 20_000,
      renewIntervalMs: 5_000,
    });
  return { leases, scheduler, log, hold };
}

describe('one deploybot process per SQLite file', () => {
  it('refuses a second process, naming the first, and keeps the first one’s hold renewed', async () => {
    const { leases, scheduler, hold } = setUp();
    await hold(FIRST);
    await scheduler.advance(60_000);
    const refused = await hold(SECOND).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DeploybotError);
    const error = refused as DeploybotError;
    expect(error.code).toBe('store_in_use');
    const text = presentError(error).text;
    expect(text).toContain('Another deploybot process (host deploy-1, pid 100)');
    expect(text).toContain('/srv/deploybot/data/deploybot.sqlite');
    expect(text).toContain('DATABASE_URL=postgres://');
    expect((await leases.getLease(SQLITE_PROCESS_LEASE))?.owner).toBe(FIRST);
  });

  it('is free again once the first process gives it up', async () => {
    const { leases, hold } = setUp();
    const release = await hold(FIRST);
    await release();
    await hold(SECOND);
    expect((await leases.getLease(SQLITE_PROCESS_LEASE))?.owner).toBe(SECOND);
  });

  it('is taken from a process that died: at once when its pid is gone, else once its hold lapsed', async () => {
    const dead = setUp([FIRST]);
    await dead.leases.acquireLease(SQLITE_PROCESS_LEASE, FIRST, 1_000, 20_000);
    await dead.hold(SECOND);
    expect((await dead.leases.getLease(SQLITE_PROCESS_LEASE))?.owner).toBe(SECOND);

    const lapsed = setUp();
    await lapsed.leases.acquireLease(SQLITE_PROCESS_LEASE, FIRST, 1_000, 20_000);
    await expect(lapsed.hold(SECOND)).rejects.toThrow('another deploybot process uses');
    await lapsed.scheduler.advance(20_000);
    await lapsed.hold(SECOND);
    expect((await lapsed.leases.getLease(SQLITE_PROCESS_LEASE))?.owner).toBe(SECOND);
  });

  it('is taken from an earlier life of its own pid on its host, as in a restarted container', async () => {
    const { leases, hold } = setUp();
    await leases.acquireLease(SQLITE_PROCESS_LEASE, 'deploy-1:1:before', 1_000, 20_000);
    await hold('deploy-1:1:after');
    expect((await leases.getLease(SQLITE_PROCESS_LEASE))?.owner).toBe('deploy-1:1:after');
  });
});

import { describe, expect, it } from 'vitest';
import type { Scheduler } from '../../src/core/scheduler.js';
import { choreLeaseKey, createChoreRunner } from '../../src/deploys/run-chores.js';
import { createManualScheduler, type ManualScheduler } from '../support/manual-scheduler.js';
import { createMemoryLog } from '../support/memory/memory-log.js';
import { createMemoryStore } from '../support/memory/memory-store.js';

const TTL = 30_000;
const INTERVAL = 60_000;

/** A chore whose runs are recorded by process, and that lasts `ms` of scheduler time. */
function recordingChore(scheduler: Scheduler, runs: string[], who: string, ms = 0) {
  return {
    name: 'sweep',
    intervalMs: INTERVAL,
    run: async (signal: AbortSignal) => {
      runs.push(`${who} start`);
      if (ms > 0) await scheduler.sleep(ms, signal);
      runs.push(signal.aborted ? `${who} aborted` : `${who} end`);
    },
  };
}

/** Two processes on one store, each with its own runner of the same chore. */
function twoProcesses(scheduler: ManualScheduler, chore: { ms?: number } = {}) {
  const store = createMemoryStore();
  const runs: string[] = [];
  const runner = (who: string) =>
    createChoreRunner({
      leases: store,
      scheduler,
      owner: who,
      log: createMemoryLog(),
      leaseTtlMs: TTL,
      chores: [recordingChore(scheduler, runs, who, chore.ms)],
    });
  return { store, runs, a: runner('A'), b: runner('B') };
}

describe('the chore runner', () => {
  it('runs a chore on one process at a time, however many offer to', async () => {
    const scheduler = createManualScheduler(1_000_000);
    const { runs, a, b, store } = twoProcesses(scheduler);
    a.start();
    // B's ticks fall between A's: it must find the chore taken every time.
    await scheduler.advance(INTERVAL / 2);
    b.start();
    await scheduler.advance(5 * INTERVAL);
    expect(runs.filter((r) => r.startsWith('A'))).toHaveLength(10);
    expect(runs.filter((r) => r.startsWith('B'))).toEqual([]);
    expect((await store.getLease(choreLeaseKey('sweep')))?.owner).toBe('A');
    await Promise.all([a.stop(), b.stop()]);
  });

  it('never runs it on a second process while the first still runs it, renewing its lease', async () => {
    const scheduler = createManualScheduler(1_000_000);
    // A run lasts 3 intervals: far past the lease's time-to-live, kept by renewals.
    const { runs, a, b } = twoProcesses(scheduler, { ms: 3 * INTERVAL });
    a.start();
    b.start();
    await scheduler.advance(INTERVAL);
    await scheduler.advance(3 * INTERVAL + 1);
    expect(runs.slice(0, 2)).toEqual(['A start', 'A end']);
    expect(runs.filter((r) => r.startsWith('B'))).toEqual([]);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('lets another process take the chore over once the holder stops renewing', async () => {
    const scheduler = createManualScheduler(1_000_000);
    const { runs, a, b, store } = twoProcesses(scheduler);
    a.start();
    await scheduler.advance(INTERVAL / 2);
    b.start();
    await scheduler.advance(INTERVAL);
    expect(runs).toEqual(['A start', 'A end']);
    // A dies: its timers stop, and nothing renews or gives up its lease (held to 150 s).
    await stopTimersOnly(a, store);
    expect(await store.getLease(choreLeaseKey('sweep'))).toMatchObject({ owner: 'A', expiresAt: 1_150_000 });
    // B's tick at 90 s found it held; its tick at 150 s, as the lease lapses, takes it.
    await scheduler.advance(INTERVAL - 1);
    expect(runs).toEqual(['A start', 'A end']);
    await scheduler.advance(1);
    expect(runs).toEqual(['A start', 'A end', 'B start', 'B end']);
    expect((await store.getLease(choreLeaseKey('sweep')))?.owner).toBe('B');
    await b.stop();
  });

  it('gives its chores up on stop, so another takes them at its next tick', async () => {
    const scheduler = createManualScheduler(1_000_000);
    const { runs, a, b } = twoProcesses(scheduler);
    a.start();
    await scheduler.advance(40_000);
    b.start();
    await scheduler.advance(50_000);
    expect(runs).toEqual(['A start', 'A end']);
    await a.stop();
    // B's tick at 100 s takes the chore A would have held until 150 s had it not given it up.
    await scheduler.advance(10_000);
    expect(runs).toEqual(['A start', 'A end', 'B start', 'B end']);
    await b.stop();
  });

  it('aborts a run whose lease another process took', async () => {
    const scheduler = createManualScheduler(1_000_000);
    const { runs, a, store } = twoProcesses(scheduler, { ms: 10 * INTERVAL });
    const running = a.runOnce('sweep');
    await scheduler.advance(1);
    // The store lost A's renewals for longer than the lease lasts, and B took the chore.
    expect(await store.acquireLease(choreLeaseKey('sweep'), 'B', scheduler.now() + TTL, TTL)).toBe(true);
    await scheduler.advance(TTL);
    expect(await running).toBe(true);
    expect(runs).toEqual(['A start', 'A aborted']);
    expect((await store.getLease(choreLeaseKey('sweep')))?.owner).toBe('B');
    await a.stop();
  });

  it('runs every chore once on runAll, and says which were not its to run', async () => {
    const scheduler = createManualScheduler(1_000_000);
    const { runs, a, b } = twoProcesses(scheduler);
    await a.runAll();
    await b.runAll();
    expect(await b.runOnce('sweep')).toBe(false);
    expect(await a.runOnce('sweep')).toBe(true);
    expect(runs).toEqual(['A start', 'A end', 'A start', 'A end']);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('reports a failing chore and runs it again on its next tick', async () => {
    const scheduler = createManualScheduler(1_000_000);
    const log = createMemoryLog();
    let calls = 0;
    const runner = createChoreRunner({
      leases: createMemoryStore(),
      scheduler,
      owner: 'A',
      log,
      leaseTtlMs: TTL,
      chores: [
        {
          name: 'flaky',
          intervalMs: INTERVAL,
          atStart: true,
          run: async () => {
            calls++;
            throw new Error('boom');
          },
        },
      ],
    });
    runner.start();
    await scheduler.advance(INTERVAL);
    expect(calls).toBe(2);
    expect(log.messages('error')).toEqual(['chore failed', 'chore failed']);
    await expect(runner.runAll()).rejects.toThrow('boom');
    await runner.stop();
  });
});

/** Stops a runner as a process that died would: stop() gives the lease up, so it is put back as held. */
async function stopTimersOnly(
  runner: ReturnType<typeof createChoreRunner>,
  store: ReturnType<typeof createMemoryStore>,
) {
  const lease = await store.getLease(choreLeaseKey('sweep'));
  await runner.stop();
  if (lease) await store.acquireLease(lease.key, lease.owner, lease.expiresAt - TTL, TTL);
}

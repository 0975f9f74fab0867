import { describe, expect, it } from 'vitest';
import { QUIET_BELOW, scheduleMemoryTrims } from '../../src/compose/schedule-memory-trims.js';
import type { ProcessMemory } from '../../src/process-memory.js';
import { createManualScheduler } from '../support/manual-scheduler.js';

const TIMINGS = { firstMs: 1_000, intervalMs: 15_000 };
const BUSY = 0.4;
const QUIET = QUIET_BELOW / 2;

/**
 * A process whose event loop is as busy as `looks` says, one value a look after the first (which
 * only starts the measuring), recording what was done.
 */
function fakeMemory(looks: number[], fail?: 'collect') {
  const busy = [0.9, ...looks];
  const done: string[] = [];
  const memory: ProcessMemory = {
    trim: () => {
      done.push('trim');
    },
    collectGarbage: () => {
      done.push('collect');
      if (fail === 'collect') throw new Error('collect failed');
    },
    busyness: () => busy.shift() ?? QUIET,
  };
  return { memory, done };
}

function schedule(memory: ProcessMemory, onError: (error: unknown) => void) {
  const scheduler = createManualScheduler(0);
  const stop = scheduleMemoryTrims({ scheduler, memory, timings: TIMINGS, onError });
  return { scheduler, stop };
}

const rethrow = (error: unknown): void => {
  throw error;
};

/** What each look did: the first at 1 s, then every 15 s. */
async function looksOf(
  memory: ProcessMemory,
  done: string[],
  count: number,
  onError: (error: unknown) => void = rethrow,
) {
  const { scheduler, stop } = schedule(memory, onError);
  const looks: string[] = [];
  for (let i = 0; i < count; i++) {
    const before = done.length;
    await scheduler.advance(i === 0 ? 1_000 : i === 1 ? 14_000 : 15_000);
    looks.push(done.slice(before).join('+'));
  }
  stop();
  return { looks, scheduler };
}

describe('giving memory back between bursts', () => {
  it('collects what start-up left at the first look when quiet, then only trims while quiet', async () => {
    const { memory, done } = fakeMemory([QUIET, QUIET, QUIET]);
    const { looks, scheduler } = await looksOf(memory, done, 3);
    expect(looks).toEqual(['collect+trim', 'trim', 'trim']);
    await scheduler.advance(120_000);
    expect(done).toHaveLength(4);
  });

  it('never collects while busy: start-up under load waits for the first quiet look', async () => {
    const { memory, done } = fakeMemory([BUSY, BUSY, QUIET, QUIET]);
    const { looks } = await looksOf(memory, done, 4);
    expect(looks).toEqual(['trim', 'trim', 'collect+trim', 'trim']);
  });

  it('collects once in the first quiet look after busy ones, not again until busy again', async () => {
    const { memory, done } = fakeMemory([QUIET, BUSY, BUSY, QUIET, QUIET, BUSY, QUIET]);
    const { looks } = await looksOf(memory, done, 7);
    expect(looks).toEqual(['collect+trim', 'trim', 'trim', 'collect+trim', 'trim', 'trim', 'collect+trim']);
  });

  it('reports a collection that fails and tries again at the next quiet look', async () => {
    const errors: unknown[] = [];
    const { memory, done } = fakeMemory([QUIET, QUIET], 'collect');
    const { looks } = await looksOf(memory, done, 2, (error) => errors.push(error));
    expect(looks).toEqual(['collect', 'collect']);
    expect(errors.map((e) => (e as Error).message)).toEqual(['collect failed', 'collect failed']);
  });

  it('does nothing when stopped before the first look', async () => {
    const { memory, done } = fakeMemory([]);
    const { scheduler, stop } = schedule(memory, rethrow);
    stop();
    await scheduler.advance(60_000);
    expect(done).toEqual([]);
    expect(scheduler.pendingSleeps()).toBe(0);
  });
});

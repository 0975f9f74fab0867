import { describe, expect, it } from 'vitest';
import { QUIET_BELOW, scheduleMemoryTrims } from '../../src/compose/schedule-memory-trims.js';
import type { ProcessMemory } from '../../src/process-memory.js';
import { createManualScheduler } from '../support/manual-scheduler.js';

const TIMINGS = { firstMs: 1_000, intervalMs: 15_000 };
const BUSY = 0.4;
const QUIET = QUIET_BELOW / 2;

/** A process whose event loop is as busy as `busy` says at each look, recording what was done. */
function fakeMemory(busy: number[], fail?: 'trim' | 'collect') {
  const done: string[] = [];
  const memory: ProcessMemory = {
    trim: () => {
      done.push('trim');
      if (fail === 'trim') throw new Error('trim failed');
    },
    collectGarbage: () => {
      done.push('collect');
      if (fail === 'collect') throw new Error('collect failed');
    },
    busyness: () => busy.shift() ?? QUIET,
  };
  return { memory, done };
}

function schedule(
  memory: ProcessMemory,
  onError: (error: unknown) => void = (error) => {
    throw error;
  },
) {
  const scheduler = createManualScheduler(0);
  const stop = scheduleMemoryTrims({ scheduler, memory, timings: TIMINGS, onError });
  return { scheduler, stop };
}

describe('giving memory back between bursts', () => {
  it('collects and trims soon after start, then only trims while the loop stays quiet', async () => {
    // The first look, at the first trim, only starts the measuring.
    const { memory, done } = fakeMemory([BUSY]);
    const { scheduler, stop } = schedule(memory);
    await scheduler.advance(999);
    expect(done).toEqual([]);
    await scheduler.advance(1);
    expect(done).toEqual(['collect', 'trim']);
    await scheduler.advance(14_000);
    await scheduler.advance(30_000);
    expect(done).toEqual(['collect', 'trim', 'trim', 'trim', 'trim']);
    stop();
    await scheduler.advance(120_000);
    expect(done).toHaveLength(5);
  });

  it('collects once in the first quiet interval after busy ones, not while busy and not again', async () => {
    const { memory, done } = fakeMemory([QUIET, BUSY, BUSY, QUIET, QUIET, BUSY, QUIET]);
    const { scheduler, stop } = schedule(memory);
    await scheduler.advance(1_000);
    done.length = 0;
    const intervals: string[] = [];
    for (let i = 0; i < 6; i++) {
      const before = done.length;
      await scheduler.advance(15_000);
      intervals.push(done.slice(before).join('+'));
    }
    // Looks at 15, 30, …: busy, busy, quiet (collects), quiet, busy, quiet (collects).
    expect(intervals).toEqual(['trim', 'trim', 'collect+trim', 'trim', 'trim', 'collect+trim']);
    stop();
  });

  it('reports what fails and goes on at the next interval', async () => {
    const errors: unknown[] = [];
    // The first collection fails before its look: the interval's looks are busy, then quiet.
    const { memory, done } = fakeMemory([BUSY, QUIET], 'collect');
    const { scheduler, stop } = schedule(memory, (error) => errors.push(error));
    await scheduler.advance(1_000);
    await scheduler.advance(15_000);
    await scheduler.advance(15_000);
    expect(errors.map((e) => (e as Error).message)).toEqual(['collect failed', 'collect failed']);
    expect(done).toEqual(['collect', 'trim', 'collect']);
    stop();
  });

  it('does nothing when stopped before the first', async () => {
    const { memory, done } = fakeMemory([]);
    const { scheduler, stop } = schedule(memory);
    stop();
    await scheduler.advance(60_000);
    expect(done).toEqual([]);
    expect(scheduler.pendingSleeps()).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { scheduleMemoryTrims } from '../../src/compose/schedule-memory-trims.js';
import { createManualScheduler } from '../support/manual-scheduler.js';

const TIMINGS = { firstMs: 1_000 };

/** Trims counted on a manual scheduler from 0. */
function countTrims(onError: (error: unknown) => void) {
  const scheduler = createManualScheduler(0);
  let trims = 0;
  const stop = scheduleMemoryTrims({
    scheduler,
    trim: () => {
      trims += 1;
    },
    timings: TIMINGS,
    onError,
  });
  return { scheduler, stop, trims: () => trims };
}

describe('scheduling memory trims', () => {
  it('trims once, soon after start, and not again', async () => {
    const { scheduler, stop, trims } = countTrims((error) => {
      throw error;
    });
    await scheduler.advance(999);
    expect(trims()).toBe(0);
    await scheduler.advance(1);
    expect(trims()).toBe(1);
    await scheduler.advance(120_000);
    expect(trims()).toBe(1);
    stop();
  });

  it('reports a trim that fails', async () => {
    const scheduler = createManualScheduler(0);
    const errors: unknown[] = [];
    scheduleMemoryTrims({
      scheduler,
      trim: () => {
        throw new Error('trim failed');
      },
      timings: TIMINGS,
      onError: (error) => errors.push(error),
    });
    await scheduler.advance(1_000);
    expect(errors.map((e) => (e as Error).message)).toEqual(['trim failed']);
  });

  it('never trims when stopped before the first', async () => {
    const { scheduler, stop, trims } = countTrims(() => undefined);
    stop();
    await scheduler.advance(60_000);
    expect(trims()).toBe(0);
    expect(scheduler.pendingSleeps()).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { scheduleMemoryTrims } from '../../src/compose/schedule-memory-trims.js';
import { createManualScheduler } from '../support/manual-scheduler.js';

const TIMINGS = { firstMs: 1_000, intervalMs: 30_000 };

describe('scheduling memory trims', () => {
  it('trims once soon after start, then at every interval, until stopped', async () => {
    const scheduler = createManualScheduler(0);
    let trims = 0;
    const stop = scheduleMemoryTrims({
      scheduler,
      trim: () => {
        trims += 1;
      },
      timings: TIMINGS,
      onError: (error) => {
        throw error;
      },
    });
    await scheduler.advance(999);
    expect(trims).toBe(0);
    await scheduler.advance(1);
    expect(trims).toBe(1);
    await scheduler.advance(29_000);
    expect(trims).toBe(2);
    await scheduler.advance(30_000);
    expect(trims).toBe(3);
    stop();
    await scheduler.advance(120_000);
    expect(trims).toBe(3);
  });

  it('reports a trim that fails and still trims at the next interval', async () => {
    const scheduler = createManualScheduler(0);
    const errors: unknown[] = [];
    let calls = 0;
    const stop = scheduleMemoryTrims({
      scheduler,
      trim: () => {
        calls += 1;
        throw new Error(`trim ${calls}`);
      },
      timings: TIMINGS,
      onError: (error) => errors.push(error),
    });
    await scheduler.advance(30_000);
    expect(calls).toBe(2);
    expect(errors.map((e) => (e as Error).message)).toEqual(['trim 1', 'trim 2']);
    stop();
  });

  it('never trims when stopped before the first', async () => {
    const scheduler = createManualScheduler(0);
    let trims = 0;
    const stop = scheduleMemoryTrims({
      scheduler,
      trim: () => {
        trims += 1;
      },
      timings: TIMINGS,
      onError: () => undefined,
    });
    stop();
    await scheduler.advance(60_000);
    expect(trims).toBe(0);
    expect(scheduler.pendingSleeps()).toBe(0);
  });
});

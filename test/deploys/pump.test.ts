import { describe, expect, it } from 'vitest';
import { createPump } from '../../src/deploys/pump.js';
import { createManualScheduler } from '../support/manual-scheduler.js';
import { createMemoryLog } from '../support/memory/memory-log.js';

describe('the pump', () => {
  const setUp = (run: () => Promise<void>) => {
    const scheduler = createManualScheduler();
    const log = createMemoryLog();
    const pump = createPump({ run, retryDelayMs: (failures) => 100 * failures, scheduler, log });
    return { scheduler, log, pump };
  };

  it('runs one pass at a time, and once more for however many requests came during one', async () => {
    let passes = 0;
    let running = 0;
    let most = 0;
    const { pump, scheduler } = setUp(async () => {
      passes += 1;
      running += 1;
      most = Math.max(most, running);
      await Promise.resolve();
      running -= 1;
    });
    pump.request();
    pump.request();
    pump.request();
    await scheduler.advance(0);
    expect(passes).toBe(2);
    expect(most).toBe(1);
  });

  it('does not lose a request made just as a pass ends', async () => {
    let passes = 0;
    const { pump, scheduler } = setUp(async () => {
      passes += 1;
    });
    pump.request();
    // The pass has ended its work; what it does next must not swallow this request.
    await Promise.resolve();
    await Promise.resolve();
    pump.request();
    await scheduler.advance(0);
    expect(passes).toBe(2);
  });

  it('tries again after a failed pass, waiting longer after each failure in a row', async () => {
    let failures = 2;
    let passes = 0;
    const { pump, scheduler, log } = setUp(async () => {
      passes += 1;
      if (failures-- > 0) throw new Error('the store is down');
    });
    pump.request();
    await scheduler.advance(99);
    expect(passes).toBe(1);
    await scheduler.advance(1);
    expect(passes).toBe(2);
    await scheduler.advance(199);
    expect(passes).toBe(2);
    await scheduler.advance(1);
    expect(passes).toBe(3);
    expect(log.messages('error')).toEqual([
      'could not work through the deploy queue',
      'could not work through the deploy queue',
    ]);
  });

  it('stops: no retry comes after, and stop waits for the pass in flight', async () => {
    let passes = 0;
    const { pump, scheduler } = setUp(async () => {
      passes += 1;
      throw new Error('the store is down');
    });
    pump.request();
    await pump.stop();
    await scheduler.advance(10_000);
    pump.request();
    await scheduler.advance(0);
    expect(passes).toBe(1);
    expect(scheduler.pendingSleeps()).toBe(0);
  });
});

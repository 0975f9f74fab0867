import { describe, expect, it } from 'vitest';
import { createSystemScheduler } from '../src/system-scheduler.js';

describe('the system scheduler', () => {
  const scheduler = createSystemScheduler();

  it('sleeps for real and says it slept', async () => {
    const before = Date.now();
    await expect(scheduler.sleep(20)).resolves.toBe(true);
    expect(Date.now() - before).toBeGreaterThanOrEqual(19);
  });

  it('stops a sleep when its signal aborts', async () => {
    const controller = new AbortController();
    const sleeping = scheduler.sleep(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).resolves.toBe(false);
  });

  it('repeats until stopped and reports failures', async () => {
    let runs = 0;
    const errors: unknown[] = [];
    const stop = scheduler.every(
      5,
      async () => {
        runs += 1;
        if (runs === 1) throw new Error('first run fails');
      },
      (error) => errors.push(error),
    );
    while (runs < 3) await scheduler.sleep(5);
    stop();
    const after = runs;
    await scheduler.sleep(30);
    expect(runs).toBe(after);
    expect(errors).toHaveLength(1);
  });
});

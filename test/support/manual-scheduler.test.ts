import { describe, expect, it } from 'vitest';
import { createManualScheduler } from './manual-scheduler.js';

describe('the manual scheduler', () => {
  it('wakes sleeps in time order and only when time reaches them', async () => {
    const scheduler = createManualScheduler(1_000);
    const woken: string[] = [];
    void scheduler.sleep(300).then((fired) => woken.push(`b:${fired}`));
    void scheduler.sleep(100).then((fired) => woken.push(`a:${fired}`));
    await scheduler.advance(99);
    expect(woken).toEqual([]);
    await scheduler.advance(1);
    expect(woken).toEqual(['a:true']);
    await scheduler.advance(500);
    expect(woken).toEqual(['a:true', 'b:true']);
    expect(scheduler.now()).toBe(1_600);
  });

  it('ends a sleep early, with false, when its signal aborts', async () => {
    const scheduler = createManualScheduler();
    const controller = new AbortController();
    const sleeping = scheduler.sleep(10_000, controller.signal);
    controller.abort();
    await expect(sleeping).resolves.toBe(false);
    expect(scheduler.pendingSleeps()).toBe(0);
    await expect(scheduler.sleep(1, controller.signal)).resolves.toBe(false);
  });

  it('repeats a task at its interval, never two runs at once, until stopped', async () => {
    const scheduler = createManualScheduler(0);
    const runs: number[] = [];
    let release: (() => void) | undefined;
    const stop = scheduler.every(
      1_000,
      async () => {
        runs.push(scheduler.now());
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      },
      () => undefined,
    );
    await scheduler.advance(3_500);
    // The first run is still going, so the ones due at 2 s and 3 s were skipped.
    expect(runs).toEqual([1_000]);
    release?.();
    await scheduler.advance(1_000);
    expect(runs).toEqual([1_000, 4_000]);
    stop();
    release?.();
    await scheduler.advance(10_000);
    expect(runs).toEqual([1_000, 4_000]);
  });

  it('reports a failing run and keeps repeating', async () => {
    const scheduler = createManualScheduler(0);
    const errors: unknown[] = [];
    let runs = 0;
    scheduler.every(
      100,
      async () => {
        runs += 1;
        throw new Error(`run ${runs}`);
      },
      (error) => errors.push(error),
    );
    await scheduler.advance(300);
    expect(runs).toBe(3);
    expect(errors.map((e) => (e as Error).message)).toEqual(['run 1', 'run 2', 'run 3']);
  });

  it('wakes a flow that sleeps again within one advance', async () => {
    const scheduler = createManualScheduler(0);
    const seen: number[] = [];
    void (async () => {
      for (let i = 0; i < 3; i++) {
        await scheduler.sleep(100);
        seen.push(scheduler.now());
      }
    })();
    await scheduler.advance(1_000);
    expect(seen).toEqual([100, 200, 300]);
  });
});

import { describe, expect, it } from 'vitest';
import { createCachedCheck } from '../../src/http/cached-check.js';
import { createManualClock } from '../support/manual-clock.js';

describe('createCachedCheck', () => {
  it('asks at most once per period, and sees a change once the period is over', async () => {
    const clock = createManualClock(0);
    let calls = 0;
    let down = false;
    const check = createCachedCheck(
      async () => {
        calls += 1;
        if (down) throw new Error('database unreachable');
      },
      clock,
      1_000,
    );
    await check();
    await check();
    expect(calls).toBe(1);

    down = true;
    clock.advance(999);
    await expect(check()).resolves.toBeUndefined();
    clock.advance(1);
    await expect(check()).rejects.toThrow('database unreachable');
    await expect(check()).rejects.toThrow('database unreachable');
    expect(calls).toBe(2);

    down = false;
    clock.advance(1_000);
    await expect(check()).resolves.toBeUndefined();
    expect(calls).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { batchCalls } from '../../src/store/batch-calls.js';

describe('batchCalls', () => {
  it('writes the calls of one turn together, at most maxBatch at a time, each answered in order', async () => {
    const batches: number[][] = [];
    const double = batchCalls(async (items: readonly number[]) => {
      batches.push([...items]);
      return items.map((n) => n * 2);
    }, 3);
    const first = await Promise.all([1, 2, 3, 4, 5].map(double));
    expect(first).toEqual([2, 4, 6, 8, 10]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    // A later turn is a batch of its own.
    expect(await double(6)).toBe(12);
    expect(batches.at(-1)).toEqual([6]);
  });

  it('fails every call of a batch that failed, and only those', async () => {
    let fail = true;
    const write = batchCalls(async (items: readonly string[]) => {
      if (fail) throw new Error('store down');
      return items.map((s) => s.toUpperCase());
    }, 10);
    const failed = await Promise.allSettled([write('a'), write('b')]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await write('c')).toBe('C');
  });
});

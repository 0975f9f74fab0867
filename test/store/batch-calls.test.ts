import { describe, expect, it } from 'vitest';
import { batchCalls } from '../../src/store/batch-calls.js';

/** A flush that holds each batch until released, so the test decides when a commit ends. */
function heldFlush() {
  const batches: number[][] = [];
  const releases: Array<() => void> = [];
  const flush = async (items: readonly number[]) => {
    batches.push([...items]);
    await new Promise<void>((resolve) => releases.push(resolve));
    return items.map((n) => n * 2);
  };
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  return { batches, releases, flush, turn };
}

describe('batchCalls', () => {
  it('writes the calls of one turn together, at most maxBatch at a time, each answered in order', async () => {
    const batches: number[][] = [];
    const double = batchCalls(
      async (items: readonly number[]) => {
        batches.push([...items]);
        return items.map((n) => n * 2);
      },
      { maxBatch: 3, maxFlushes: 2 },
    );
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

  it('gathers the calls made while a flush is under way into the next one, sent when it ends', async () => {
    const { batches, releases, flush, turn } = heldFlush();
    const double = batchCalls(flush, { maxBatch: 10, maxFlushes: 1 });
    const first = double(1);
    await turn();
    expect(batches).toEqual([[1]]);
    const later = [2, 3, 4].map(double);
    await turn();
    // The store is busy with the first: the others wait for it rather than queue a flush each.
    expect(batches).toEqual([[1]]);
    releases.shift()?.();
    expect(await first).toBe(2);
    await turn();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    releases.shift()?.();
    expect(await Promise.all(later)).toEqual([4, 6, 8]);
  });

  it('runs up to maxFlushes flushes side by side', async () => {
    const { batches, releases, flush, turn } = heldFlush();
    const double = batchCalls(flush, { maxBatch: 2, maxFlushes: 2 });
    const all = [1, 2, 3, 4, 5].map(double);
    await turn();
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    releases.shift()?.();
    await turn();
    expect(batches.at(-1)).toEqual([5]);
    for (const release of releases.splice(0)) release();
    expect(await Promise.all(all)).toEqual([2, 4, 6, 8, 10]);
  });

  it('fails every call of a batch that failed, and only those', async () => {
    let fail = true;
    const write = batchCalls(
      async (items: readonly string[]) => {
        if (fail) throw new Error('store down');
        return items.map((s) => s.toUpperCase());
      },
      { maxBatch: 10, maxFlushes: 1 },
    );
    const failed = await Promise.allSettled([write('a'), write('b')]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await write('c')).toBe('C');
  });
});

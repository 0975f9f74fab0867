import { describe, expect, it } from 'vitest';
import { createKeyedQueue } from '../../src/core/keyed-queue.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('the keyed queue', () => {
  it('runs tasks of one key one at a time, in order, and other keys alongside', async () => {
    const queue = createKeyedQueue();
    const events: string[] = [];
    const gate = deferred();
    const first = queue.run('a', async () => {
      events.push('a1 start');
      await gate.promise;
      events.push('a1 end');
      return 1;
    });
    const second = queue.run('a', async () => {
      events.push('a2');
      return 2;
    });
    const other = queue.run('b', async () => {
      events.push('b1');
      return 3;
    });
    await other;
    expect(events).toEqual(['a1 start', 'b1']);
    await new Promise((resolve) => setImmediate(resolve));
    // Only key a still has work.
    expect(queue.size()).toBe(1);
    gate.resolve();
    await expect(Promise.all([first, second])).resolves.toEqual([1, 2]);
    expect(events).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
    await queue.idle();
    expect(queue.size()).toBe(0);
  });

  it('goes on after a task fails, and the failure reaches only its caller', async () => {
    const queue = createKeyedQueue();
    const failing = queue.run('k', async () => {
      throw new Error('boom');
    });
    const next = queue.run('k', async () => 'ran');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });

  it('is idle at once when nothing was queued', async () => {
    await expect(createKeyedQueue().idle()).resolves.toBeUndefined();
  });
});

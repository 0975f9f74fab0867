/**
 * Calls made in one turn of the event loop, written together: `flush` gets them all (at most
 * `maxBatch` at a time) and answers each in order. A webhook burst then costs one statement and
 * one commit per turn rather than one per delivery. Nothing waits longer than that turn: this
 * gathers what is already there, it never holds a call back for more to come.
 */
export function batchCalls<T, R>(
  flush: (items: readonly T[]) => Promise<readonly R[]>,
  maxBatch: number,
): (item: T) => Promise<R> {
  let pending: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];

  async function run(batch: typeof pending): Promise<void> {
    try {
      const results = await flush(batch.map((p) => p.item));
      batch.forEach((p, i) => {
        p.resolve(results[i] as R);
      });
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }

  function drain(): void {
    const taken = pending;
    pending = [];
    for (let i = 0; i < taken.length; i += maxBatch) void run(taken.slice(i, i + maxBatch));
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      if (pending.length === 0) setImmediate(drain);
      pending.push({ item, resolve, reject });
    });
}

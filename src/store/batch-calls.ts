export interface BatchCallsOptions {
  /** At most this many items a flush. */
  readonly maxBatch: number;
  /** At most this many flushes under way at once; calls made meanwhile wait and go together. */
  readonly maxFlushes: number;
}

type Call<T, R> = { item: T; resolve: (r: R) => void; reject: (e: unknown) => void };

/**
 * Group commit: calls are written together, `flush` getting them all (at most `maxBatch` at a
 * time) and answering each in order. The first call of a quiet moment is flushed at the end of
 * its turn of the event loop; calls that come while `maxFlushes` flushes are under way gather
 * and go in one flush when one ends. A webhook burst then costs a statement and a commit per
 * flush rather than per delivery, and the busier the store, the more each flush carries. No call
 * waits for more to come: only for the flushes it could not have joined anyway, on a store that
 * commits one transaction at a time.
 */
export function batchCalls<T, R>(
  flush: (items: readonly T[]) => Promise<readonly R[]>,
  options: BatchCallsOptions,
): (item: T) => Promise<R> {
  let pending: Array<Call<T, R>> = [];
  let flushing = 0;
  let scheduled = false;

  async function run(batch: ReadonlyArray<Call<T, R>>): Promise<void> {
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
    scheduled = false;
    while (pending.length > 0 && flushing < options.maxFlushes) {
      const batch = pending.slice(0, options.maxBatch);
      pending = pending.slice(batch.length);
      flushing += 1;
      void run(batch).finally(() => {
        flushing -= 1;
        drain();
      });
    }
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      // While flushes are under way, the one that ends drains; otherwise the end of this turn does.
      if (!scheduled && flushing < options.maxFlushes) {
        scheduled = true;
        setImmediate(drain);
      }
    });
}

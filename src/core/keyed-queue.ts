/**
 * Runs tasks one at a time per key, in the order they were added; different keys run side
 * by side. A task that fails does not stop the ones queued after it. The one mechanism for
 * "never two at once for this deployment / environment / repository".
 */
export interface KeyedQueue {
  /** Runs `task` after every task already queued under `key`; settles as the task does. */
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Resolves once nothing is queued or running under any key. */
  idle(): Promise<void>;
  /** How many keys have work queued or running. */
  size(): number;
}

export function createKeyedQueue(): KeyedQueue {
  const tails = new Map<string, Promise<void>>();
  return {
    run(key, task) {
      const result = (tails.get(key) ?? Promise.resolve()).then(task);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    async idle() {
      while (tails.size > 0) await Promise.all([...tails.values()]);
    },
    size: () => tails.size,
  };
}

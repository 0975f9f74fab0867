export type Fault = { kind: 'ratelimited'; retryAfterSeconds: number } | { kind: 'error'; error: string };

/** Queued per-method faults; rate limits are served before plain errors so both can be stacked. */
export interface FaultQueue {
  rateLimit(method: string, times: number, retryAfterSeconds: number): void;
  failNext(method: string, error: string, times: number): void;
  take(method: string): Fault | undefined;
  clear(): void;
}

export function createFaultQueue(): FaultQueue {
  const rateLimits = new Map<string, { remaining: number; retryAfterSeconds: number }>();
  const errors = new Map<string, string[]>();
  return {
    rateLimit(method, times, retryAfterSeconds) {
      rateLimits.set(method, { remaining: times, retryAfterSeconds });
    },
    failNext(method, error, times) {
      const queue = errors.get(method) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(error);
      errors.set(method, queue);
    },
    take(method) {
      const limit = rateLimits.get(method);
      if (limit && limit.remaining > 0) {
        limit.remaining -= 1;
        return { kind: 'ratelimited', retryAfterSeconds: limit.retryAfterSeconds };
      }
      const error = errors.get(method)?.shift();
      return error === undefined ? undefined : { kind: 'error', error };
    },
    clear() {
      rateLimits.clear();
      errors.clear();
    },
  };
}

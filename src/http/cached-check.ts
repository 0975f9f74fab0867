import type { Clock } from '../core/scheduler.js';

/**
 * The check run at most once per `maxAgeMs`; callers in between share its last result, or
 * its answer still coming. A load balancer polling /healthz from many places then costs the
 * database one round trip a second, and an outage shows within that second.
 */
export function createCachedCheck(
  check: () => Promise<void>,
  clock: Clock,
  maxAgeMs: number,
): () => Promise<void> {
  let last: { readonly at: number; readonly result: Promise<void> } | undefined;
  return () => {
    const now = clock.now();
    if (last !== undefined && now - last.at < maxAgeMs) return last.result;
    const result = check();
    // Kept for later callers; one nobody awaits must not count as unhandled.
    result.catch(() => undefined);
    last = { at: now, result };
    return result;
  };
}

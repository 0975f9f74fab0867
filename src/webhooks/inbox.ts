import type { Clock } from '../core/clock.js';
import { presentError, toDeploybotError } from '../core/errors.js';
import type { Logger } from '../logger.js';
import type { DeliveryStore, StoredDelivery } from '../store/deliveries.js';

export interface InboxOptions {
  readonly store: DeliveryStore;
  readonly handle: (delivery: StoredDelivery) => Promise<void>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly maxAttempts: number;
  /** Delay before retry number `attempt` (1-based) of a delivery that failed with a retryable error. */
  readonly retryDelayMs: (attempt: number) => number;
}

export interface Inbox {
  /** Picks up stored deliveries not yet handled: those left by a previous run, and retries that are due. */
  start(): Promise<void>;
  /** Handles one newly stored delivery, after the others of its repository. */
  enqueue(delivery: StoredDelivery): void;
  /** Resolves when nothing is being handled. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Works through stored webhook deliveries. Deliveries of one repository are handled one at
 * a time in the order received, so a deployment's statuses are seen in order; different
 * repositories proceed independently.
 */
export function createInbox(options: InboxOptions): Inbox {
  const { store, logger } = options;
  const chains = new Map<string, Promise<void>>();
  const inFlight = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  async function handleOne(delivery: StoredDelivery): Promise<void> {
    const log = logger.child({
      delivery: delivery.deliveryId,
      event: delivery.event,
      action: delivery.action,
    });
    try {
      await options.handle(delivery);
      await store.markDeliveryDone(delivery.deliveryId, options.clock.now());
    } catch (thrown) {
      const error = toDeploybotError(thrown);
      const attempt = delivery.attempts + 1;
      const presented = presentError(error);
      if (error.retryable && attempt < options.maxAttempts && !stopped) {
        const delay = options.retryDelayMs(attempt);
        log[presented.logLevel === 'error' ? 'warn' : presented.logLevel](
          { err: error, code: error.code, attempt, retryInMs: delay },
          'webhook handling failed; will retry',
        );
        await store.scheduleDeliveryRetry(delivery.deliveryId, error.code, options.clock.now() + delay);
        schedulePump(delay);
      } else {
        log.error({ err: error, code: error.code, attempt }, 'webhook handling failed; giving up');
        await store.markDeliveryFailed(delivery.deliveryId, error.code, options.clock.now());
      }
    }
  }

  function enqueue(delivery: StoredDelivery): void {
    if (stopped || inFlight.has(delivery.deliveryId)) return;
    inFlight.add(delivery.deliveryId);
    const key = delivery.partitionKey;
    const previous = chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => handleOne(delivery))
      .catch((error: unknown) => logger.error({ err: error }, 'inbox bookkeeping failed'))
      .finally(() => {
        inFlight.delete(delivery.deliveryId);
        if (chains.get(key) === next) chains.delete(key);
      });
    chains.set(key, next);
  }

  async function pump(dueBy = options.clock.now()): Promise<void> {
    if (stopped) return;
    const due = await store.listRunnableDeliveries(dueBy, 500);
    for (const delivery of due) enqueue(delivery);
  }

  function schedulePump(delayMs: number): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      pump().catch((error: unknown) => logger.error({ err: error }, 'could not read stored deliveries'));
    }, delayMs);
    timer.unref();
    timers.add(timer);
  }

  async function idle(): Promise<void> {
    while (chains.size > 0) await Promise.all([...chains.values()]);
  }

  return {
    // After a restart nothing waits out its back-off: the outage that caused it may be what restarted us.
    start: () => pump(Number.MAX_SAFE_INTEGER),
    enqueue,
    idle,
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await idle();
    },
  };
}

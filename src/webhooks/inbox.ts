import { presentError, toDeploybotError } from '../core/errors.js';
import type { DeliveryStore, StoredDelivery } from '../core/ports/delivery-store.js';
import type { Clock } from '../core/scheduler.js';
import type { Logger } from '../logger.js';

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
  /** Picks up every stored delivery not yet handled, such as those a previous run left. */
  start(): Promise<void>;
  /** Handles one newly stored delivery, after the others of its repository. */
  enqueue(delivery: StoredDelivery): void;
  /** Resolves when nothing is being handled. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const BATCH = 500;

/**
 * Works through stored webhook deliveries. Deliveries of one repository are handled one at
 * a time in the order received, retries included: a delivery waiting to be retried holds
 * back the later ones of its repository, so an older merge never deploys after a newer one.
 * Different repositories proceed independently.
 */
export function createInbox(options: InboxOptions): Inbox {
  const { store, logger } = options;
  const chains = new Map<string, Promise<void>>();
  const inFlight = new Set<string>();
  const stopping = new AbortController();

  async function handleOne(delivery: StoredDelivery): Promise<void> {
    const log = logger.child({
      delivery: delivery.deliveryId,
      event: delivery.event,
      action: delivery.action,
    });
    let attempts = delivery.attempts;
    for (;;) {
      try {
        await options.handle({ ...delivery, attempts });
        await store.markDeliveryDone(delivery.deliveryId, options.clock.now());
        return;
      } catch (thrown) {
        const error = toDeploybotError(thrown);
        attempts += 1;
        const presented = presentError(error);
        if (!error.retryable || attempts >= options.maxAttempts) {
          log.error({ err: error, code: error.code, attempts }, 'webhook handling failed; giving up');
          await store.markDeliveryFailed(delivery.deliveryId, error.code, options.clock.now());
          return;
        }
        const delay = options.retryDelayMs(attempts);
        log[presented.logLevel === 'error' ? 'warn' : presented.logLevel](
          { err: error, code: error.code, attempts, retryInMs: delay },
          'webhook handling failed; will retry',
        );
        await store.scheduleDeliveryRetry(delivery.deliveryId, error.code, options.clock.now() + delay);
        // A stop leaves the delivery stored as pending; the next start picks it up.
        if (!(await sleep(delay, stopping.signal))) return;
      }
    }
  }

  function enqueue(delivery: StoredDelivery): void {
    if (stopping.signal.aborted || inFlight.has(delivery.deliveryId)) return;
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

  async function start(): Promise<void> {
    // After a restart nothing waits out its back-off: the outage that caused it may be what restarted us.
    let after: StoredDelivery | undefined;
    for (;;) {
      const batch = await store.listRunnableDeliveries(Number.MAX_SAFE_INTEGER, BATCH, after);
      for (const delivery of batch) enqueue(delivery);
      after = batch.at(-1);
      if (batch.length < BATCH) return;
    }
  }

  async function idle(): Promise<void> {
    while (chains.size > 0) await Promise.all([...chains.values()]);
  }

  return {
    start,
    enqueue,
    idle,
    async stop() {
      stopping.abort();
      await idle();
    },
  };
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

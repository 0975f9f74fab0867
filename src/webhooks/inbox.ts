import { presentError, toDeploybotError } from '../core/errors.js';
import { createKeyedQueue } from '../core/keyed-queue.js';
import type { DeliveryStore, StoredDelivery } from '../core/ports/delivery-store.js';
import type { WebhookMetrics } from '../core/ports/metrics.js';
import type { Scheduler } from '../core/scheduler.js';
import type { Logger } from '../logger.js';

export interface InboxOptions {
  readonly store: DeliveryStore;
  readonly handle: (delivery: StoredDelivery) => Promise<void>;
  /** The clock, and the waits before retries. */
  readonly scheduler: Pick<Scheduler, 'now' | 'sleep'>;
  readonly logger: Logger;
  readonly maxAttempts: number;
  /** Delay before retry number `attempt` (1-based) of a delivery that failed with a retryable error. */
  readonly retryDelayMs: (attempt: number) => number;
  /** Told how each attempt ended, and how long after receipt. */
  readonly metrics?: WebhookMetrics;
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
  const { store, scheduler, logger, metrics } = options;
  const queue = createKeyedQueue();
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
        const now = scheduler.now();
        await store.markDeliveryDone(delivery.deliveryId, now);
        metrics?.webhookDelivery(delivery.event, 'handled', now - delivery.receivedAt);
        return;
      } catch (thrown) {
        const error = toDeploybotError(thrown);
        attempts += 1;
        const presented = presentError(error);
        if (!error.retryable || attempts >= options.maxAttempts) {
          log.error({ err: error, code: error.code, attempts }, 'webhook handling failed; giving up');
          const now = scheduler.now();
          await store.markDeliveryFailed(delivery.deliveryId, error.code, now);
          metrics?.webhookDelivery(delivery.event, 'failed', now - delivery.receivedAt);
          return;
        }
        const delay = options.retryDelayMs(attempts);
        log[presented.logLevel === 'error' ? 'warn' : presented.logLevel](
          { err: error, code: error.code, attempts, retryInMs: delay },
          'webhook handling failed; will retry',
        );
        await store.scheduleDeliveryRetry(delivery.deliveryId, error.code, scheduler.now() + delay);
        metrics?.webhookDelivery(delivery.event, 'retried');
        // A stop leaves the delivery stored as pending; the next start picks it up.
        if (!(await scheduler.sleep(delay, stopping.signal))) return;
      }
    }
  }

  function enqueue(delivery: StoredDelivery): void {
    if (stopping.signal.aborted || inFlight.has(delivery.deliveryId)) return;
    inFlight.add(delivery.deliveryId);
    void queue.run(delivery.partitionKey, async () => {
      try {
        await handleOne(delivery);
      } catch (error) {
        logger.error({ err: error }, 'inbox bookkeeping failed');
      } finally {
        inFlight.delete(delivery.deliveryId);
      }
    });
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

  const idle = () => queue.idle();

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

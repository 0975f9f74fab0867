import { presentError, toDeploybotError } from '../core/errors.js';
import type { DeliveryStore, StoredDelivery } from '../core/ports/delivery-store.js';
import type { WebhookMetrics } from '../core/ports/metrics.js';
import type { Scheduler } from '../core/scheduler.js';
import type { Logger } from '../logger.js';

export interface SettleDeliveryOptions {
  readonly store: DeliveryStore;
  readonly handle: (delivery: StoredDelivery) => Promise<void>;
  readonly scheduler: Pick<Scheduler, 'now' | 'sleep'>;
  readonly logger: Logger;
  readonly maxAttempts: number;
  readonly retryDelayMs: (attempt: number) => number;
  readonly tuning: { readonly storeRetryDelayMs: (attempt: number) => number };
  readonly metrics?: WebhookMetrics;
  /** Aborted on stop: bookkeeping the store refuses is then left to the lease's lapse. */
  readonly signal: AbortSignal;
}

/**
 * Handles one claimed delivery and writes down how it ended: done, due again at a later
 * time, or failed for good. A failure of the database itself (`store_unavailable`) says
 * nothing about the delivery, so it is retried without using up its attempts: a delivery
 * is never failed for good by a database outage, however long.
 */
export function createSettleDelivery(options: SettleDeliveryOptions) {
  const { store, scheduler, metrics } = options;

  /** Retries the bookkeeping while the store fails, still holding the delivery (and renewing its lease). */
  async function record(log: Logger, write: () => Promise<void>): Promise<void> {
    for (let failures = 1; ; failures++) {
      try {
        await write();
        return;
      } catch (error) {
        const delay = options.tuning.storeRetryDelayMs(failures);
        log.warn({ err: error, failures, retryInMs: delay }, 'could not record how a webhook delivery ended');
        if (!(await scheduler.sleep(delay, options.signal))) {
          // Stopping: the lease lapses and a process handles the delivery again.
          return;
        }
      }
    }
  }

  return async (delivery: StoredDelivery): Promise<void> => {
    const log = options.logger.child({
      delivery: delivery.deliveryId,
      event: delivery.event,
      action: delivery.action,
    });
    try {
      await options.handle(delivery);
    } catch (thrown) {
      const error = toDeploybotError(thrown);
      const presented = presentError(error);
      const level = presented.logLevel === 'error' ? 'warn' : presented.logLevel;
      if (error.code === 'store_unavailable') {
        const delay = options.retryDelayMs(delivery.attempts + 1);
        log[level](
          { err: error, code: error.code, retryInMs: delay },
          'webhook handling met a database failure; will retry',
        );
        await record(log, async () => {
          await store.postponeDelivery(delivery.deliveryId, error.code, scheduler.now() + delay);
          metrics?.webhookDelivery(delivery.event, 'retried');
        });
        return;
      }
      const attempts = delivery.attempts + 1;
      if (!error.retryable || attempts >= options.maxAttempts) {
        log.error({ err: error, code: error.code, attempts }, 'webhook handling failed; giving up');
        await record(log, async () => {
          const now = scheduler.now();
          await store.markDeliveryFailed(delivery.deliveryId, error.code, now);
          metrics?.webhookDelivery(delivery.event, 'failed', now - delivery.receivedAt);
        });
        return;
      }
      const delay = options.retryDelayMs(attempts);
      log[level](
        { err: error, code: error.code, attempts, retryInMs: delay },
        'webhook handling failed; will retry',
      );
      await record(log, async () => {
        await store.scheduleDeliveryRetry(delivery.deliveryId, error.code, scheduler.now() + delay);
        metrics?.webhookDelivery(delivery.event, 'retried');
      });
      return;
    }
    await record(log, async () => {
      const now = scheduler.now();
      await store.markDeliveryDone(delivery.deliveryId, now);
      metrics?.webhookDelivery(delivery.event, 'handled', now - delivery.receivedAt);
    });
  };
}

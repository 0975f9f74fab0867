import type { StoredDelivery } from '../core/ports/delivery-store.js';
import type { Logger } from '../logger.js';
import type { WebhookHandlers } from './webhook-handlers.js';

export interface DispatcherOptions {
  readonly handlers: WebhookHandlers;
  readonly maxAttempts: number;
  readonly logger: Logger;
}

/** Routes one stored delivery to the handler of its event; events without one are acknowledged and skipped. */
export function createDispatcher(options: DispatcherOptions) {
  return async (delivery: StoredDelivery): Promise<void> => {
    const handler = options.handlers[delivery.event];
    if (!handler) {
      options.logger.debug({ event: delivery.event }, 'webhook event not handled');
      return;
    }
    const finalAttempt = delivery.attempts + 1 >= options.maxAttempts;
    const log = options.logger.child({ delivery: delivery.deliveryId });
    await handler(delivery.payload, { finalAttempt, log });
  };
}

import type { StoredDelivery } from '../core/ports/delivery-store.js';
import type { WebhookContext } from './context.js';
import { handleCheckSuite } from './handlers/check-suite.js';
import { handleDeployment } from './handlers/deployment.js';
import { handleDeploymentStatus } from './handlers/deployment-status.js';
import { handlePullRequest } from './handlers/pull-request.js';
import { handleStatus } from './handlers/status.js';

export type WebhookHandler = (ctx: WebhookContext, payload: unknown) => Promise<void>;

export type WebhookHandlers = Readonly<Record<string, WebhookHandler>>;

export const coreHandlers: WebhookHandlers = {
  pull_request: handlePullRequest,
  deployment: handleDeployment,
  deployment_status: handleDeploymentStatus,
  status: handleStatus,
  check_suite: handleCheckSuite,
};

/** Routes one stored delivery to the handler of its event; events without one are acknowledged and skipped. */
export function createDispatcher(
  ctx: Omit<WebhookContext, 'finalAttempt'>,
  handlers: WebhookHandlers,
  maxAttempts: number,
) {
  return async (delivery: StoredDelivery): Promise<void> => {
    const handler = handlers[delivery.event];
    if (!handler) {
      ctx.logger.debug({ event: delivery.event }, 'webhook event not handled');
      return;
    }
    const finalAttempt = delivery.attempts + 1 >= maxAttempts;
    const logger = ctx.logger.child({ delivery: delivery.deliveryId });
    await handler({ ...ctx, logger, finalAttempt }, delivery.payload);
  };
}

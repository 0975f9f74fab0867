import { describe, expect, it } from 'vitest';
import type { StoredDelivery } from '../../src/core/ports/delivery-store.js';
import { createLogger } from '../../src/logger.js';
import { createDispatcher } from '../../src/webhooks/dispatch.js';
import type { DeliveryAttempt } from '../../src/webhooks/handlers/webhook-handler.js';

const stored = (event: string, attempts: number): StoredDelivery => ({
  deliveryId: 'd-1',
  event,
  action: undefined,
  partitionKey: 'octo-org/web',
  payload: { n: 1 },
  receivedAt: 0,
  attempts,
});

describe('createDispatcher', () => {
  const seen: Array<{ payload: unknown; finalAttempt: boolean }> = [];
  const dispatch = createDispatcher({
    handlers: {
      status: async (payload, delivery: DeliveryAttempt) => {
        seen.push({ payload, finalAttempt: delivery.finalAttempt });
      },
    },
    maxAttempts: 3,
    logger: createLogger({ level: 'silent' }),
  });

  it.each([
    [0, false],
    [1, false],
    [2, true],
  ])('hands the payload to its event handler; after %d attempts, final: %s', async (attempts, final) => {
    seen.length = 0;
    await dispatch(stored('status', attempts));
    expect(seen).toEqual([{ payload: { n: 1 }, finalAttempt: final }]);
  });

  it('acknowledges an event it has no handler for', async () => {
    seen.length = 0;
    await expect(dispatch(stored('push', 0))).resolves.toBeUndefined();
    expect(seen).toEqual([]);
  });
});

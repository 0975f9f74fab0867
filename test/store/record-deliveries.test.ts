import { describe, expect, it } from 'vitest';
import type { NewDelivery } from '../../src/core/ports/delivery-store.js';
import { STORES, useTestStore } from '../support/databases.js';

const delivery = (deliveryId: string, receivedAt = 1_000): NewDelivery => ({
  deliveryId,
  event: 'deployment_status',
  action: 'created',
  partitionKey: 'octo-org/web',
  payload: { repository: { full_name: 'octo-org/web' }, n: deliveryId },
  receivedAt,
});

describe.each(STORES)('recording deliveries that arrive together on %s', (_name, createDatabase) => {
  const storeOf = useTestStore(createDatabase);

  it('answers each of a burst as if it came alone: new, duplicate (also within the burst), retried', async () => {
    const store = storeOf();
    await store.recordDelivery(delivery('old'));
    await store.recordDelivery(delivery('failed'));
    await store.markDeliveryFailed('failed', 'github_forbidden', 1_500);
    const burst = ['a', 'old', 'b', 'a', 'failed', 'c'].map((id) =>
      store.recordDelivery(delivery(id, 2_000)),
    );
    expect(await Promise.all(burst)).toEqual([
      'recorded',
      'duplicate',
      'recorded',
      'duplicate',
      'retried',
      'recorded',
    ]);
    expect(await store.countDeliveries()).toBe(5);
    const runnable = await store.listRunnableDeliveries(10_000, 10);
    expect(runnable.map((d) => d.deliveryId).sort()).toEqual(['a', 'b', 'c', 'failed', 'old']);
    expect(runnable.find((d) => d.deliveryId === 'b')?.payload).toEqual(delivery('b').payload);
  });

  it('takes a burst larger than one statement', async () => {
    const store = storeOf();
    const ids = Array.from({ length: 150 }, (_, i) => `d${i}`);
    const outcomes = await Promise.all(ids.map((id) => store.recordDelivery(delivery(id))));
    expect(outcomes.every((o) => o === 'recorded')).toBe(true);
    expect(await store.countDeliveries()).toBe(150);
  });

  it("claims one repository's deliveries in the order they were stored, even within one millisecond", async () => {
    const store = storeOf();
    for (const id of ['z', 'm', 'a']) await store.recordDelivery(delivery(id, 5_000));
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      const [head, ...more] = await store.claimDeliveries('me', 10_000, 60_000, 10);
      expect(more).toEqual([]);
      order.push(head?.deliveryId ?? '-');
      await store.markDeliveryDone(head?.deliveryId ?? '', 10_000);
    }
    expect(order).toEqual(['z', 'm', 'a']);
  });
});

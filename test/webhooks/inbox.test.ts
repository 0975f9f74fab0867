import { describe, expect, it } from 'vitest';
import { DeploybotError } from '../../src/core/errors.js';
import type { NewDelivery, StoredDelivery } from '../../src/core/ports/delivery-store.js';
import { createLogger } from '../../src/logger.js';
import { createInbox } from '../../src/webhooks/inbox.js';
import { createManualScheduler } from '../support/manual-scheduler.js';
import { createMemoryStore } from '../support/memory/memory-store.js';

const delivery = (id: string, repository: string, receivedAt: number): NewDelivery => ({
  deliveryId: id,
  event: 'status',
  action: undefined,
  partitionKey: repository,
  payload: {},
  receivedAt,
});

function createRig(handle: (d: StoredDelivery) => Promise<void>) {
  const scheduler = createManualScheduler(1_000_000);
  const store = createMemoryStore();
  const handled: Array<{ id: string; attempts: number; at: number }> = [];
  const inbox = createInbox({
    store,
    handle: async (d) => {
      handled.push({ id: d.deliveryId, attempts: d.attempts, at: scheduler.now() });
      await handle(d);
    },
    scheduler,
    logger: createLogger({ level: 'silent' }),
    maxAttempts: 3,
    retryDelayMs: (attempt) => attempt * 10_000,
  });
  const receive = async (d: NewDelivery) => {
    await store.recordDelivery(d);
    inbox.enqueue({ ...d, attempts: 0 });
  };
  const pendingIds = async () =>
    (await store.listRunnableDeliveries(Number.MAX_SAFE_INTEGER, 100)).map((d) => d.deliveryId);
  return { scheduler, store, inbox, handled, receive, pendingIds };
}

const unavailable = () => new DeploybotError('github_unavailable', 'GitHub is down');

describe('the webhook inbox', () => {
  it('retries a retryable failure after the delay for its attempt, holding back its repository only', async () => {
    let failures = 2;
    const rig = createRig(async (d) => {
      if (d.deliveryId === 'a1' && failures-- > 0) throw unavailable();
    });
    await rig.receive(delivery('a1', 'octo-org/web', 1));
    await rig.receive(delivery('a2', 'octo-org/web', 2));
    await rig.receive(delivery('b1', 'octo-org/api', 3));
    await rig.scheduler.advance(0);
    expect(rig.handled.map((h) => h.id)).toEqual(['a1', 'b1']);
    expect(await rig.pendingIds()).toEqual(['a1', 'a2']);

    await rig.scheduler.advance(10_000);
    expect(rig.handled.map((h) => [h.id, h.attempts])).toEqual([
      ['a1', 0],
      ['b1', 0],
      ['a1', 1],
    ]);
    await rig.scheduler.advance(20_000);
    await rig.inbox.idle();
    expect(rig.handled.map((h) => [h.id, h.attempts, h.at - 1_000_000])).toEqual([
      ['a1', 0, 0],
      ['b1', 0, 0],
      ['a1', 1, 10_000],
      ['a1', 2, 30_000],
      ['a2', 0, 30_000],
    ]);
    expect(await rig.pendingIds()).toEqual([]);
  });

  it('gives up at once on what a retry cannot fix, and after the last attempt on the rest', async () => {
    const rig = createRig(async (d) => {
      throw d.deliveryId === 'bad' ? new DeploybotError('bad_request', 'unexpected payload') : unavailable();
    });
    await rig.receive(delivery('bad', 'octo-org/web', 1));
    await rig.receive(delivery('down', 'octo-org/api', 2));
    await rig.scheduler.advance(60_000);
    await rig.inbox.idle();
    expect(rig.handled.map((h) => [h.id, h.attempts])).toEqual([
      ['bad', 0],
      ['down', 0],
      ['down', 1],
      ['down', 2],
    ]);
    // Failed for good: GitHub's redelivery takes them up again.
    expect(await rig.store.recordDelivery(delivery('bad', 'octo-org/web', 1))).toBe('retried');
    expect(await rig.store.recordDelivery(delivery('down', 'octo-org/api', 2))).toBe('retried');
  });

  it('handles a delivery enqueued twice once', async () => {
    const rig = createRig(async () => undefined);
    await rig.receive(delivery('a1', 'octo-org/web', 1));
    rig.inbox.enqueue({ ...delivery('a1', 'octo-org/web', 1), attempts: 0 });
    await rig.inbox.idle();
    expect(rig.handled.map((h) => h.id)).toEqual(['a1']);
  });

  it('leaves a delivery waiting for its retry stored when stopped, and the next start takes it up at once', async () => {
    const rig = createRig(async (d) => {
      if (d.attempts === 0) throw unavailable();
    });
    await rig.receive(delivery('a1', 'octo-org/web', 1));
    await rig.scheduler.advance(0);
    await rig.inbox.stop();
    expect(await rig.pendingIds()).toEqual(['a1']);
    rig.inbox.enqueue({ ...delivery('a1', 'octo-org/web', 1), attempts: 1 });
    expect(rig.handled).toHaveLength(1);

    const next = createInbox({
      store: rig.store,
      handle: async () => undefined,
      scheduler: rig.scheduler,
      logger: createLogger({ level: 'silent' }),
      maxAttempts: 3,
      retryDelayMs: () => 60_000,
    });
    await next.start();
    await next.idle();
    expect(await rig.pendingIds()).toEqual([]);
  });
});

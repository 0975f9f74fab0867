import { afterEach, describe, expect, it } from 'vitest';
import type { NewDelivery } from '../../src/core/ports/delivery-store.js';
import { openDatabase } from '../../src/store/database.js';
import { createStore, type Store } from '../../src/store/store.js';
import { DATABASES, STORES, skipWithoutPostgres, useTestStore } from '../support/databases.js';

const delivery = (id: string, receivedAt: number, partitionKey = 'octo-org/web'): NewDelivery => ({
  deliveryId: id,
  event: 'deployment_status',
  action: 'created',
  partitionKey,
  payload: { n: id },
  receivedAt,
});
const ids = (list: ReadonlyArray<{ deliveryId: string }>) => list.map((d) => d.deliveryId);

describe.each(STORES)('delivery claims on %s', (_name, createDatabase) => {
  const storeOf = useTestStore(createDatabase);

  it('claims the oldest delivery of each repository, not the ones behind it', async () => {
    await storeOf().recordDelivery(delivery('web-1', 1));
    await storeOf().recordDelivery(delivery('web-2', 2));
    await storeOf().recordDelivery(delivery('api-1', 3, 'octo-org/api'));
    expect(ids(await storeOf().claimDeliveries('A', 10, 30_000, 10))).toEqual(['web-1', 'api-1']);
    // Leased: nobody else gets them, and what is behind them waits.
    expect(await storeOf().claimDeliveries('B', 11, 30_000, 10)).toEqual([]);
    await storeOf().markDeliveryDone('web-1', 12);
    expect(ids(await storeOf().claimDeliveries('B', 13, 30_000, 10))).toEqual(['web-2']);
  });

  it('hands a lease that lapsed to another process, and renews only live ones', async () => {
    await storeOf().recordDelivery(delivery('d-1', 1));
    await storeOf().claimDeliveries('A', 10, 30_000, 10);
    expect(await storeOf().renewDeliveryLeases('A', 20_000, 30_000)).toEqual(['d-1']);
    expect(await storeOf().claimDeliveries('B', 40_000, 30_000, 10)).toEqual([]);
    const taken = await storeOf().claimDeliveries('B', 50_001, 30_000, 10);
    expect(ids(taken)).toEqual(['d-1']);
    expect(taken[0]?.payload).toEqual({ n: 'd-1' });
    // A's lease lapsed and B took it over: A's renewal must not take it back.
    expect(await storeOf().renewDeliveryLeases('A', 50_002, 30_000)).toEqual([]);
  });

  it('holds a repository back while its head waits for a retry', async () => {
    await storeOf().recordDelivery(delivery('d-1', 1));
    await storeOf().recordDelivery(delivery('d-2', 2));
    await storeOf().claimDeliveries('A', 10, 30_000, 10);
    await storeOf().scheduleDeliveryRetry('d-1', 'github_unavailable', 1_000);
    expect(await storeOf().claimDeliveries('B', 500, 30_000, 10)).toEqual([]);
    expect(ids(await storeOf().claimDeliveries('B', 1_000, 30_000, 10))).toEqual(['d-1']);
    await storeOf().markDeliveryFailed('d-1', 'github_unavailable', 1_100);
    expect(ids(await storeOf().claimDeliveries('B', 1_200, 30_000, 10))).toEqual(['d-2']);
  });

  it('postpones a delivery without counting an attempt', async () => {
    await storeOf().recordDelivery(delivery('d-1', 1));
    await storeOf().claimDeliveries('A', 10, 30_000, 10);
    await storeOf().postponeDelivery('d-1', 'store_unavailable', 1_000);
    expect(await storeOf().claimDeliveries('B', 999, 30_000, 10)).toEqual([]);
    const [again] = await storeOf().claimDeliveries('B', 1_000, 30_000, 10);
    expect(again).toMatchObject({ deliveryId: 'd-1', attempts: 0 });
  });

  it('claims at most the limit, oldest first', async () => {
    for (let i = 0; i < 5; i++) await storeOf().recordDelivery(delivery(`d-${i}`, i, `repo-${i}`));
    expect(ids(await storeOf().claimDeliveries('A', 10, 30_000, 3))).toEqual(['d-0', 'd-1', 'd-2']);
  });
});

describe.each(DATABASES)('delivery claims raced over separate connections on %s', (name, createDatabase) => {
  skipWithoutPostgres(name);
  const opened: Store[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('never gives one delivery to two processes, nor two of one repository at once', async () => {
    const database = await createDatabase();
    const stores = [
      createStore(await openDatabase(database.setting)),
      createStore(await openDatabase(database.setting)),
    ];
    opened.push(...stores);
    const [first] = stores as [Store, Store];
    for (let i = 0; i < 60; i++) await first.recordDelivery(delivery(`d-${i}`, i, `repo-${i % 6}`));
    const handled: string[] = [];
    let now = 100;
    for (let round = 0; round < 30 && handled.length < 60; round++) {
      now += 1;
      const claims = await Promise.all(
        stores.flatMap((store, s) => [0, 1].map((k) => store.claimDeliveries(`P${s}${k}`, now, 30_000, 4))),
      );
      const claimed = claims.flat();
      expect(new Set(ids(claimed)).size).toBe(claimed.length);
      // At most one delivery per repository is out at a time.
      expect(new Set(claimed.map((d) => d.partitionKey)).size).toBe(claimed.length);
      for (const d of claimed) {
        await first.markDeliveryDone(d.deliveryId, now);
        handled.push(d.deliveryId);
      }
    }
    expect(new Set(handled).size).toBe(60);
    // Each repository's deliveries were handed out in the order they came.
    for (let r = 0; r < 6; r++) {
      const ofRepo = handled.filter((id) => Number(id.slice(2)) % 6 === r).map((id) => Number(id.slice(2)));
      expect(ofRepo).toEqual([...ofRepo].sort((a, b) => a - b));
    }
    await database.drop();
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { createStore, type Store } from '../../src/store/store.js';
import { DATABASES, STORES, skipWithoutPostgres, useTestStore } from '../support/databases.js';

describe.each(STORES)('leases on %s', (_name, createDatabase) => {
  const storeOf = useTestStore(createDatabase);

  it('gives a free key to the first owner, and not to another while it lasts', async () => {
    expect(await storeOf().acquireLease('repo:octo-org/web', 'A', 1_000, 30_000)).toBe(true);
    expect(await storeOf().acquireLease('repo:octo-org/web', 'B', 2_000, 30_000)).toBe(false);
    expect(await storeOf().getLease('repo:octo-org/web')).toEqual({
      key: 'repo:octo-org/web',
      owner: 'A',
      expiresAt: 31_000,
    });
  });

  it('lets the owner take it again, extending it', async () => {
    await storeOf().acquireLease('k', 'A', 1_000, 30_000);
    expect(await storeOf().acquireLease('k', 'A', 5_000, 30_000)).toBe(true);
    expect((await storeOf().getLease('k'))?.expiresAt).toBe(35_000);
  });

  it('hands an expired lease to another owner', async () => {
    await storeOf().acquireLease('k', 'A', 1_000, 30_000);
    expect(await storeOf().acquireLease('k', 'B', 30_999, 30_000)).toBe(false);
    expect(await storeOf().acquireLease('k', 'B', 31_000, 30_000)).toBe(true);
    expect((await storeOf().getLease('k'))?.owner).toBe('B');
  });

  it('renews only what the owner still holds, never one taken over', async () => {
    await storeOf().acquireLease('a', 'A', 0, 10_000);
    await storeOf().acquireLease('b', 'A', 0, 50_000);
    await storeOf().acquireLease('c', 'B', 0, 50_000);
    // `a` lapsed at 10 s and B took it; A's renewal must not steal it back.
    await storeOf().acquireLease('a', 'B', 10_000, 50_000);
    expect(await storeOf().renewLeases('A', 20_000, 30_000)).toEqual(['b']);
    expect(await storeOf().getLease('a')).toMatchObject({ owner: 'B', expiresAt: 60_000 });
    expect(await storeOf().getLease('b')).toMatchObject({ owner: 'A', expiresAt: 50_000 });
    expect(await storeOf().renewLeases('A', 60_000, 30_000)).toEqual([]);
  });

  it('releases only the owner’s lease', async () => {
    await storeOf().acquireLease('k', 'A', 0, 30_000);
    await storeOf().releaseLease('k', 'B');
    expect(await storeOf().getLease('k')).toBeDefined();
    await storeOf().releaseLease('k', 'A');
    expect(await storeOf().getLease('k')).toBeUndefined();
    expect(await storeOf().acquireLease('k', 'B', 1, 30_000)).toBe(true);
  });
});

describe.each(DATABASES)('leases raced over separate connections on %s', (name, createDatabase) => {
  skipWithoutPostgres(name);
  const opened: Store[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('never gives one key to two owners, however the takes interleave', async () => {
    const database = await createDatabase();
    const [first, second] = [
      createStore(await openDatabase(database.setting)),
      createStore(await openDatabase(database.setting)),
    ] as const;
    opened.push(first, second);
    for (let round = 0; round < 40; round++) {
      const key = `race-${round}`;
      const results = await Promise.all([
        first.acquireLease(key, 'A', round, 30_000),
        second.acquireLease(key, 'B', round, 30_000),
        first.acquireLease(key, 'C', round, 30_000),
        second.acquireLease(key, 'D', round, 30_000),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = ['A', 'B', 'C', 'D'][results.indexOf(true)];
      expect((await first.getLease(key))?.owner).toBe(winner);
    }
    await database.drop();
  });
});

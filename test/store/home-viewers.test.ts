import { describe, expect, it } from 'vitest';
import { STORES, useTestStore } from '../support/databases.js';

describe.each(STORES)('home viewers on %s', (_name, createDatabase) => {
  const storeOf = useTestStore(createDatabase);

  it('lists those who opened the Home since a time, oldest opening first', async () => {
    await storeOf().recordHomeViewer('U0BOB', 2_000);
    await storeOf().recordHomeViewer('U0ALICE', 1_000);
    await storeOf().recordHomeViewer('U0CAROL', 500);
    expect(await storeOf().listHomeViewers(1_000)).toEqual([
      { userId: 'U0ALICE', openedAt: 1_000 },
      { userId: 'U0BOB', openedAt: 2_000 },
    ]);
  });

  it('moves an opening forward, never back', async () => {
    await storeOf().recordHomeViewer('U0ALICE', 5_000);
    await storeOf().recordHomeViewer('U0ALICE', 3_000);
    expect(await storeOf().listHomeViewers(0)).toEqual([{ userId: 'U0ALICE', openedAt: 5_000 }]);
    await storeOf().recordHomeViewer('U0ALICE', 9_000);
    expect(await storeOf().listHomeViewers(0)).toEqual([{ userId: 'U0ALICE', openedAt: 9_000 }]);
  });

  it('forgets only those who opened it before a time', async () => {
    await storeOf().recordHomeViewer('U0ALICE', 1_000);
    await storeOf().recordHomeViewer('U0BOB', 4_000);
    expect(await storeOf().forgetHomeViewers(4_000)).toBe(1);
    expect(await storeOf().listHomeViewers(0)).toEqual([{ userId: 'U0BOB', openedAt: 4_000 }]);
    expect(await storeOf().forgetHomeViewers(4_000)).toBe(0);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { createStore, type Store } from '../../src/store/store.js';
import { DATABASES, type TestDatabase } from '../support/databases.js';

describe.each(DATABASES)('chat stores on %s', (_name, createDatabase) => {
  let database: TestDatabase;
  let store: Store;

  beforeEach(async () => {
    database = await createDatabase();
    store = createStore(await openDatabase(database.setting));
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  const lock = {
    repository: 'Octo-Org/Web',
    environment: 'production',
    holder: 'U0ALICE',
    reason: 'freeze',
    lockedAt: 100,
  };

  it('keeps one lock per repository and environment, ignoring the case of the repository', async () => {
    await store.putLock(lock);
    await store.putLock({ ...lock, holder: 'U0BOB', lockedAt: 200, expiresAt: 900 });
    expect(await store.getLock('octo-org/web', 'production')).toEqual({
      ...lock,
      repository: 'octo-org/web',
      holder: 'U0BOB',
      lockedAt: 200,
      expiresAt: 900,
    });
    expect(await store.listLocks('OCTO-ORG/WEB')).toHaveLength(1);
    expect(await store.getLock('octo-org/web', 'staging')).toBeUndefined();
  });

  it('removes only the lock it was given, once', async () => {
    await store.putLock(lock);
    expect(await store.removeLock({ ...lock, lockedAt: 99 })).toBe(false);
    expect(await store.removeLock(lock)).toBe(true);
    expect(await store.removeLock(lock)).toBe(false);
  });

  it('lists expired locks', async () => {
    await store.putLock({ ...lock, expiresAt: 500 });
    await store.putLock({ ...lock, environment: 'staging' });
    expect(await store.listExpiredLocks(499)).toEqual([]);
    expect((await store.listExpiredLocks(500)).map((l) => l.environment)).toEqual(['production']);
  });

  it('lets one press of a confirmation win', async () => {
    await store.saveConfirmation({
      id: 'c1',
      kind: 'deploy',
      userId: 'U0ALICE',
      channel: 'C0WEB',
      request: { sha: 'abc' },
      createdAt: 1,
      expiresAt: 2,
    });
    const presses = await Promise.all(
      [1, 2, 3].map(() => store.decideConfirmation('c1', 'done', 'U0ALICE', 5)),
    );
    expect(presses.filter(Boolean)).toHaveLength(1);
    expect(await store.decideConfirmation('c1', 'cancelled', 'U0ALICE', 6)).toBe(false);
    expect(await store.getConfirmation('c1')).toMatchObject({ state: 'done', request: { sha: 'abc' } });
    expect(await store.getConfirmation('nope')).toBeUndefined();
  });

  it('keeps lock waits in arrival order, even with equal timestamps', async () => {
    for (const id of ['z', 'a', 'm']) {
      await store.saveLockWait({
        id,
        repository: 'octo-org/web',
        environment: 'production',
        request: { id },
        channel: 'C0WEB',
        messageTs: undefined,
        createdAt: 1,
      });
    }
    expect((await store.listLockWaits('Octo-Org/Web', 'production')).map((w) => w.id)).toEqual([
      'z',
      'a',
      'm',
    ]);
    expect(await store.removeLockWait('a')).toBe(true);
    expect(await store.removeLockWait('a')).toBe(false);
    expect((await store.listLockWaits('octo-org/web', 'production')).map((w) => w.id)).toEqual(['z', 'm']);
  });
});

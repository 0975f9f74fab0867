import { describe, expect, it } from 'vitest';
import { STORES, useTestStore } from '../support/databases.js';
import { aChatDeployPlan, aLockWaitRequest } from '../support/records.js';

describe.each(STORES)('chat stores on %s', (_name, createDatabase) => {
  const storeOf = useTestStore(createDatabase);

  const lock = {
    repository: 'Octo-Org/Web',
    environment: 'production',
    holder: 'U0ALICE',
    reason: 'freeze',
    lockedAt: 100,
  };

  it('keeps one lock per repository and environment, ignoring the case of the repository', async () => {
    expect(await storeOf().replaceLock(lock, undefined)).toBe(true);
    expect(
      await storeOf().replaceLock({ ...lock, holder: 'U0BOB', lockedAt: 200, expiresAt: 900 }, lock),
    ).toBe(true);
    expect(await storeOf().getLock('octo-org/web', 'production')).toEqual({
      ...lock,
      repository: 'octo-org/web',
      holder: 'U0BOB',
      lockedAt: 200,
      expiresAt: 900,
    });
    expect(await storeOf().listLocks('OCTO-ORG/WEB')).toHaveLength(1);
    expect(await storeOf().getLock('octo-org/web', 'staging')).toBeUndefined();
  });

  it('takes a lock only if it is still as the caller saw it', async () => {
    await storeOf().replaceLock(lock, undefined);
    expect(await storeOf().replaceLock({ ...lock, holder: 'U0BOB' }, undefined)).toBe(false);
    expect(await storeOf().replaceLock({ ...lock, holder: 'U0BOB' }, { ...lock, lockedAt: 1 })).toBe(false);
    const racers = await Promise.all(
      ['U0BOB', 'U0CAROL'].map((holder) => storeOf().replaceLock({ ...lock, holder, lockedAt: 300 }, lock)),
    );
    expect(racers.filter(Boolean)).toHaveLength(1);
  });

  it('removes only the lock it was given, once', async () => {
    await storeOf().replaceLock(lock, undefined);
    expect(await storeOf().removeLock({ ...lock, lockedAt: 99 })).toBe(false);
    expect(await storeOf().removeLock(lock)).toBe(true);
    expect(await storeOf().removeLock(lock)).toBe(false);
  });

  it('lists expired locks', async () => {
    await storeOf().replaceLock({ ...lock, expiresAt: 500 }, undefined);
    await storeOf().replaceLock({ ...lock, environment: 'staging' }, undefined);
    expect(await storeOf().listExpiredLocks(499)).toEqual([]);
    expect((await storeOf().listExpiredLocks(500)).map((l) => l.environment)).toEqual(['production']);
  });

  it('lets one press of a confirmation win', async () => {
    await storeOf().saveConfirmation({
      id: 'c1',
      kind: 'deploy',
      userId: 'U0ALICE',
      channel: 'C0WEB',
      request: aChatDeployPlan({ sha: 'abc' }),
      createdAt: 1,
      expiresAt: 2,
    });
    const presses = await Promise.all(
      [1, 2, 3].map(() => storeOf().decideConfirmation('c1', 'done', 'U0ALICE', 5)),
    );
    expect(presses.filter(Boolean)).toHaveLength(1);
    expect(await storeOf().decideConfirmation('c1', 'cancelled', 'U0ALICE', 6)).toBe(false);
    expect(await storeOf().getConfirmation('c1')).toMatchObject({ state: 'done', request: { sha: 'abc' } });
    expect(await storeOf().getConfirmation('nope')).toBeUndefined();
  });

  it('keeps lock waits in arrival order, even with equal timestamps', async () => {
    for (const id of ['z', 'a', 'm']) {
      await storeOf().saveLockWait({
        id,
        repository: 'octo-org/web',
        environment: 'production',
        request: aLockWaitRequest({ ref: id }),
        channel: 'C0WEB',
        messageTs: undefined,
        createdAt: 1,
      });
    }
    expect((await storeOf().listLockWaits('Octo-Org/Web', 'production')).map((w) => w.id)).toEqual([
      'z',
      'a',
      'm',
    ]);
    expect(await storeOf().removeLockWait('a')).toBe(true);
    expect(await storeOf().removeLockWait('a')).toBe(false);
    expect((await storeOf().listLockWaits('octo-org/web', 'production')).map((w) => w.id)).toEqual([
      'z',
      'm',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { createLock } from '../../src/core/lock-policy.js';
import { createReleaseLockWaits } from '../../src/deploys/release-lock-waits.js';
import { createMergeDeployRig } from '../support/merge-deploy-rig.js';

describe('releaseLockWaits', () => {
  async function twoWaitingOnALock() {
    const rig = createMergeDeployRig();
    const release = createReleaseLockWaits({
      config: rig.config,
      store: rig.store,
      chat: rig.chat,
      clock: rig.scheduler,
      deployMerge: rig.deployMerge,
      log: rig.log,
    });
    const lock = createLock({
      repository: 'octo-org/web',
      environment: 'staging',
      holder: 'U0ALICE',
      now: rig.scheduler.now(),
    });
    await rig.store.replaceLock(lock, undefined);
    const older = rig.merge(42);
    const newer = rig.merge(43);
    await rig.deployMerge(rig.attempt(older.request));
    await rig.deployMerge(rig.attempt(newer.request));
    const unlock = async () => {
      await rig.store.removeLock((await rig.store.getLock('octo-org/web', 'staging'))!);
    };
    return { rig, release, lock, older, newer, unlock };
  }

  it('sends the waiting deploys in the order they came and updates their messages', async () => {
    const { rig, release, older, newer, unlock } = await twoWaitingOnALock();
    await unlock();
    await release('Octo-Org/Web', 'staging');
    expect(rig.github.deployments.map((d) => d.sha)).toEqual([older.sha, newer.sha]);
    expect(rig.handedOver).toHaveLength(2);
    expect(rig.texts()).toEqual([
      expect.stringContaining('unlocked, deploying'),
      expect.stringContaining('unlocked, deploying'),
    ]);
    expect(await rig.store.listLockWaits('octo-org/web', 'staging')).toEqual([]);
  });

  it('sends nothing while the lock holds', async () => {
    const { rig, release } = await twoWaitingOnALock();
    await release('octo-org/web', 'staging');
    expect(rig.github.calls).toEqual([]);
    expect(await rig.store.listLockWaits('octo-org/web', 'staging')).toHaveLength(2);
  });

  it('sends the waits of a lock that lapsed', async () => {
    const rig = createMergeDeployRig();
    const release = createReleaseLockWaits({
      config: rig.config,
      store: rig.store,
      chat: rig.chat,
      clock: rig.scheduler,
      deployMerge: rig.deployMerge,
      log: rig.log,
    });
    const { request } = rig.merge(42);
    await rig.store.replaceLock(
      createLock({
        repository: 'octo-org/web',
        environment: 'staging',
        holder: 'U0ALICE',
        durationMs: 30 * 60_000,
        now: rig.scheduler.now(),
      }),
      undefined,
    );
    await rig.deployMerge(rig.attempt(request));
    await rig.scheduler.advance(31 * 60_000);
    await release('octo-org/web', 'staging');
    expect(rig.github.deployments).toHaveLength(1);
  });

  it('keeps the rest, in order, when GitHub cannot take one now; the next release sends them', async () => {
    const { rig, release, older, newer, unlock } = await twoWaitingOnALock();
    await unlock();
    rig.github.failNext('findDeployment', 'github_unavailable');
    await expect(release('octo-org/web', 'staging')).rejects.toMatchObject({ code: 'github_unavailable' });
    expect(rig.github.deployments).toEqual([]);
    expect(await rig.store.listLockWaits('octo-org/web', 'staging')).toHaveLength(2);
    await release('octo-org/web', 'staging');
    expect(rig.github.deployments.map((d) => d.sha)).toEqual([older.sha, newer.sha]);
  });

  it('runs one release at a time per environment, so no wait goes out twice', async () => {
    const { rig, release, older, newer, unlock } = await twoWaitingOnALock();
    await unlock();
    await Promise.all([release('octo-org/web', 'staging'), release('octo-org/web', 'staging')]);
    expect(rig.created()).toHaveLength(2);
    expect(rig.handedOver).toHaveLength(2);
    expect(rig.github.deployments.map((d) => d.sha)).toEqual([older.sha, newer.sha]);
  });

  it('only logs a waiting message it cannot update', async () => {
    const { rig, release, unlock } = await twoWaitingOnALock();
    await unlock();
    rig.chat.messages.splice(0, rig.chat.messages.length);
    await release('octo-org/web', 'staging');
    expect(rig.github.deployments).toHaveLength(2);
    expect(rig.log.messages().filter((m) => m === 'could not update the waiting message')).toHaveLength(2);
  });
});

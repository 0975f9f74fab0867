import { afterEach, describe, expect, it } from 'vitest';
import { createLock } from '../../src/core/lock.js';
import { createFlowRig, FLOW_REPO, type FlowRig } from '../support/deployer/deploy-flows.js';

const WAITS_FOR_LOCK = 'waiting for the lock on staging to be released';

describe('a deploy job whose environment is locked before it starts', () => {
  let rig: FlowRig;
  afterEach(async () => {
    await rig.deployer.stop();
  });

  async function lockStaging(holder: string) {
    const lock = createLock({
      repository: FLOW_REPO,
      environment: 'staging',
      holder,
      now: rig.scheduler.now(),
    });
    expect(await rig.store.replaceLock(lock, undefined)).toBe(true);
    return lock;
  }

  it('waits for the unlock, told once with a queued status, then runs', async () => {
    rig = createFlowRig();
    await rig.deployer.start();
    rig.provider.behave('staging', { kind: 'gate' });
    const { id: first } = await rig.deploy('staging');
    await rig.settle();
    const { id: second } = await rig.deploy('staging');
    await rig.settle();
    expect(rig.lastStatus(second)?.description).toBe(`waiting for deployment ${first} to finish`);

    await rig.scheduler.advance(1_000);
    const lock = await lockStaging('U0BOB');
    rig.provider.release(first);
    await rig.settle();
    expect(rig.states(first)).toEqual(['pending', 'success']);
    expect(rig.provider.began).toEqual([first]);
    expect(rig.lastStatus(second)).toEqual({ state: 'queued', description: WAITS_FOR_LOCK });
    // The sweep looks again: still locked, not told twice.
    await rig.scheduler.advance(60_000);
    await rig.settle();
    expect(rig.states(second)).toEqual(['queued', 'queued']);

    expect(await rig.store.removeLock(lock)).toBe(true);
    rig.deployer.unlocked();
    await rig.settle();
    expect(rig.provider.running()).toEqual([second]);
    rig.provider.release(second);
    await rig.settle();
    expect(rig.states(second)).toEqual(['queued', 'queued', 'pending', 'success']);
  });

  it('holds back the later jobs of the environment too, and not those of another', async () => {
    rig = createFlowRig();
    await rig.deployer.start();
    rig.provider.behave('staging', { kind: 'gate' });
    const { id: first } = await rig.deploy('staging');
    await rig.settle();
    const { id: staging } = await rig.deploy('staging');
    const { id: later } = await rig.deploy('staging');
    await rig.scheduler.advance(1_000);
    await lockStaging('U0BOB');
    rig.provider.release(first);
    await rig.settle();
    const { id: qa } = await rig.deploy('qa');
    await rig.settle();
    expect(rig.provider.began).toEqual([first, qa]);
    expect(rig.lastStatus(staging)).toEqual({ state: 'queued', description: WAITS_FOR_LOCK });
    // Behind the one that waits for the lock, it stays queued as it was told.
    expect(rig.states(later)).toEqual(['queued']);
  });

  it('runs what the lock holder asked for, and what was queued before the lock was taken', async () => {
    rig = createFlowRig();
    await lockStaging('U0ALICE');
    await rig.scheduler.advance(1_000);
    // Queued after the lock, but by its holder: chat let alice deploy into her own lock.
    const { id: own } = await rig.deploy('staging', {
      payload: { deploy_user: 'alice', notify: { adapter: 'slack', channel: 'C0WEB', user: 'U0ALICE' } },
    });
    const { id: early } = await rig.deploy('qa');
    await rig.scheduler.advance(1_000);
    await rig.store.replaceLock(
      createLock({
        repository: FLOW_REPO,
        environment: 'qa',
        holder: 'U0BOB',
        now: rig.scheduler.now() - 5_000,
      }),
      undefined,
    );
    await rig.deployer.start();
    await rig.settle();
    expect([...rig.provider.began].sort()).toEqual([own, early].sort());
  });

  it('goes when the lock expires', async () => {
    rig = createFlowRig();
    await rig.deployer.start();
    rig.provider.behave('staging', { kind: 'gate' });
    const { id: first } = await rig.deploy('staging');
    await rig.settle();
    const { id } = await rig.deploy('staging');
    await rig.store.replaceLock(
      createLock({
        repository: FLOW_REPO,
        environment: 'staging',
        holder: 'U0BOB',
        durationMs: 60_000,
        now: rig.scheduler.now(),
      }),
      undefined,
    );
    rig.provider.release(first);
    await rig.settle();
    expect(rig.provider.began).toEqual([first]);
    await rig.scheduler.advance(61_000);
    rig.deployer.unlocked();
    await rig.settle();
    expect(rig.provider.began).toEqual([first, id]);
  });
});

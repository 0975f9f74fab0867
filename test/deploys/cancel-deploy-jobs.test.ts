import { afterEach, describe, expect, it } from 'vitest';
import { createFlowRig, FLOW_REPO, type FlowRig } from '../support/deployer/deploy-flows.js';
import { type HeldCall, holdNextCall } from '../support/deployer/store-faults.js';

describe('cancelling deploy jobs', () => {
  let rig: FlowRig;
  afterEach(async () => {
    await rig.deployer.stop();
  });
  const start = async (options: Parameters<typeof createFlowRig>[0] = {}) => {
    rig = createFlowRig(options);
    await rig.deployer.start();
    rig.provider.behave('staging', { kind: 'gate' });
    rig.provider.behave('production', { kind: 'gate' });
  };

  it('drops a waiting deployment: error, and it never runs', async () => {
    await start();
    const { id: running } = await rig.deploy('staging');
    const { id: waiting } = await rig.deploy('staging');
    await rig.settle();
    expect(rig.states(waiting)).toEqual(['queued']);

    expect(await rig.deployer.cancel({ deploymentId: waiting }, 'alice')).toEqual({ cancelled: [waiting] });
    await rig.settle();
    expect(rig.lastStatus(waiting)).toEqual({ state: 'error', description: 'cancelled by @alice' });
    expect(await rig.logText(waiting)).toBe('[deploybot] error: cancelled by @alice\n');
    // Cancelled already: nothing more to cancel.
    expect(await rig.deployer.cancel({ deploymentId: waiting }, 'alice')).toEqual({ cancelled: [] });

    rig.provider.release(running);
    await rig.settle();
    expect(rig.provider.began).toEqual([running]);
    expect(rig.states(waiting)).toEqual(['queued', 'error']);
  });

  it('stops a running deployment, and the environment is free again', async () => {
    await start();
    const { id: running } = await rig.deploy('production');
    await rig.settle();
    expect(await rig.deployer.cancel({ repository: 'web', environment: 'production' }, '@bob')).toEqual({
      cancelled: [running],
    });
    await rig.settle();
    expect(rig.lastStatus(running)).toEqual({ state: 'error', description: 'cancelled by @bob' });
    expect(await rig.logText(running)).toContain('[deploybot] cancelled by @bob; stopping the deploy\n');
    expect(rig.provider.running()).toEqual([]);

    const { id: next } = await rig.deploy('production');
    await rig.settle();
    expect(rig.provider.running()).toEqual([next]);
  });

  it('cancels everything waiting and running in an environment at once, by alias too', async () => {
    await start();
    const { id: running } = await rig.deploy('staging');
    await rig.settle();
    const { id: waiting } = await rig.deploy('staging');
    const { id: elsewhere } = await rig.deploy('production');
    await rig.settle();
    const { cancelled } = await rig.deployer.cancel({ repository: FLOW_REPO, environment: 'stg' }, 'carol');
    // Waiting ones first: stopping the running one frees the lane for them.
    expect(cancelled).toEqual([waiting, running]);
    await rig.settle();
    for (const id of [running, waiting]) {
      expect(rig.lastStatus(id)).toEqual({ state: 'error', description: 'cancelled by @carol' });
    }
    expect(rig.provider.began).not.toContain(waiting);
    expect(rig.provider.running()).toEqual([elsewhere]);
  });

  it.each([
    [{ repository: FLOW_REPO, environment: 'nowhere' }, 'unknown_environment'],
    [{ repository: 'octo-org/nothing', environment: 'staging' }, 'unknown_repository'],
  ])('refuses to cancel in %j: %s', async (target, code) => {
    await start();
    await expect(rig.deployer.cancel(target, 'dave')).rejects.toMatchObject({ code });
  });

  it('does not report a deploy as cancelled once its outcome is decided', async () => {
    let held!: HeldCall;
    await start({
      wrapStore: (store) => {
        const holding = holdNextCall(store, 'finishDeployJob');
        held = holding.held;
        return holding.store;
      },
    });
    rig.provider.behave('staging', { kind: 'end', outcome: 'succeeded' });
    const { id } = await rig.deploy('staging');
    await held.reached;
    expect(await rig.deployer.cancel({ deploymentId: id }, 'alice')).toEqual({ cancelled: [] });
    held.release();
    await rig.settle();
    expect(rig.lastStatus(id)?.state).toBe('success');
  });

  it('cancels a deployment whose claim fails while the cancel waits for it', async () => {
    let held!: HeldCall;
    await start({
      wrapStore: (store) => {
        const holding = holdNextCall(store, 'claimDeployJob');
        held = holding.held;
        return holding.store;
      },
    });
    const { id } = await rig.deploy('production');
    await held.reached;
    const cancelling = rig.deployer.cancel({ deploymentId: id }, 'alice');
    held.release(new Error('the store is down'));
    expect(await cancelling).toEqual({ cancelled: [id] });
    await rig.settle();
    expect(rig.lastStatus(id)).toEqual({ state: 'error', description: 'cancelled by @alice' });
    expect(rig.provider.began).toEqual([]);
  });

  it('cancels a deployment that is claimed while the cancel looks at it', async () => {
    let held!: HeldCall;
    await start({
      wrapStore: (store) => {
        const holding = holdNextCall(store, 'claimDeployJob');
        held = holding.held;
        return holding.store;
      },
    });
    const { id } = await rig.deploy('production');
    await held.reached;
    const cancelling = rig.deployer.cancel({ deploymentId: id }, 'alice');
    held.release();
    expect(await cancelling).toEqual({ cancelled: [id] });
    await rig.settle();
    expect(rig.lastStatus(id)).toEqual({ state: 'error', description: 'cancelled by @alice' });
    expect(rig.provider.began).toEqual([]);
  });
});

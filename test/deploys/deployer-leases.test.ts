import { afterEach, describe, expect, it } from 'vitest';
import { createFlowRig, FLOW_REPO, type FlowRig } from '../support/deployer/deploy-flows.js';

const STOPPED = 'the deploybot process running it stopped';

/**
 * Two deployers on one store and one clock are two processes: their deploys are held by leases
 * they renew, taken over only once a lease lapsed.
 */
describe('deploys held by leases, across processes', () => {
  const rigs: FlowRig[] = [];
  afterEach(async () => {
    for (const rig of rigs.splice(0)) await rig.deployer.stop();
  });
  const start = async (options: Parameters<typeof createFlowRig>[0] = {}) => {
    const rig = createFlowRig(options);
    rigs.push(rig);
    await rig.deployer.start();
    return rig;
  };

  /** A job a process that is gone now claimed, its lease running until `now + 20 s`. */
  async function leftByAnother(rig: FlowRig, runner: string) {
    const created = rig.github.addDeployment(FLOW_REPO, {
      sha: 'a'.repeat(40),
      ref: 'main',
      environment: 'production',
      task: 'deploy',
      payload: {},
      creator: 'octocat',
    });
    await rig.store.recordDeployJob({
      deploymentId: created.id,
      repository: FLOW_REPO,
      environment: 'production',
      lane: `${FLOW_REPO}:production`,
      ref: 'main',
      sha: created.sha,
      task: 'deploy',
      creator: 'octocat',
      payload: {},
      logToken: `token-${created.id}`,
      enqueuedAt: rig.scheduler.now(),
    });
    await rig.store.claimDeployJob(
      created.id,
      `${FLOW_REPO}:production`,
      runner,
      rig.scheduler.now(),
      20_000,
    );
    return created.id;
  }

  it('renews the lease of a deploy while it runs, so another process never touches it', async () => {
    const a = await start({ runnerId: 'host:1:a' });
    a.provider.behave('production', { kind: 'gate' });
    const { id } = await a.deploy('production');
    await a.settle();
    const b = await start({ after: a, runnerId: 'host:2:b' });
    // Well past the 20 s lease, short of the 60 s timeout.
    for (let i = 0; i < 11; i++) await a.scheduler.advance(5_000);
    expect(await a.job(id)).toMatchObject({
      state: 'running',
      runner: 'host:1:a',
      leaseExpiresAt: a.scheduler.now() + 20_000,
    });
    expect(b.cleared).toEqual([]);
    a.provider.release(id);
    await a.settle();
    expect(a.states(id)).toEqual(['pending', 'success']);
  });

  it('cancels a deploy running on another process: that process stops it at its next heartbeat', async () => {
    const a = await start({ runnerId: 'host:1:a' });
    a.provider.behave('production', { kind: 'gate' });
    const { id } = await a.deploy('production');
    await a.settle();
    const b = await start({ after: a, runnerId: 'host:2:b' });
    expect(await b.deployer.cancel({ deploymentId: id }, 'alice')).toEqual({ cancelled: [id] });
    await a.scheduler.advance(5_000);
    await a.settle();
    expect(a.lastStatus(id)).toMatchObject({ state: 'error', description: 'cancelled by @alice' });
    expect(await a.job(id)).toMatchObject({ state: 'finished', runner: 'host:1:a' });
    expect(b.cleared).toEqual([]);
  });

  it('says nothing was cancelled when the deploy ended on the other process first', async () => {
    const a = await start({ runnerId: 'host:1:a' });
    const { id } = await a.deploy('production');
    await a.settle();
    const b = await start({ after: a, runnerId: 'host:2:b' });
    expect(a.states(id)).toEqual(['pending', 'success']);
    expect(await b.deployer.cancel({ deploymentId: id }, 'alice')).toEqual({ cancelled: [] });
  });

  it('tells GitHub once why a deployment waits, however many processes look at the queue', async () => {
    const a = await start({ runnerId: 'host:1:a' });
    a.provider.behave('production', { kind: 'gate' });
    const { id: first } = await a.deploy('production');
    await a.settle();
    const b = await start({ after: a, runnerId: 'host:2:b' });
    const { id: waiting } = await a.deploy('production');
    await a.settle();
    b.deployer.unlocked();
    await b.settle();
    await a.scheduler.advance(30_000);
    await a.settle();
    expect(a.states(waiting)).toEqual(['queued']);
    a.provider.release(first);
    await a.settle();
  });

  it('takes over a deploy whose lease lapsed: error, and its lane runs the next one', async () => {
    const b = await start({ runnerId: 'host:2:b' });
    const left = await leftByAnother(b, 'host:1:gone');
    const { id: next } = await b.deploy('production');
    await b.settle();
    expect(b.lastStatus(next)?.state).toBe('queued');
    await b.scheduler.advance(15_000);
    expect(await b.job(left)).toMatchObject({ state: 'running', runner: 'host:1:gone' });
    expect(b.cleared).toEqual([]);

    await b.scheduler.advance(5_000);
    expect(b.cleared).toEqual([left]);
    expect(b.lastStatus(left)).toEqual({ state: 'error', description: STOPPED });
    expect(await b.logText(left)).toBe(`[deploybot] error: ${STOPPED}\n`);
    expect(b.provider.began).toEqual([next]);
    expect(b.states(next)).toEqual(['queued', 'pending', 'success']);
  });

  it('at start, ends at once a deploy whose runner on this host is gone', async () => {
    const b = createFlowRig({
      runnerId: 'host:2:b',
      liveness: { isOnThisHost: () => true, isGone: (runner) => runner === 'host:1:gone' },
    });
    rigs.push(b);
    const left = await leftByAnother(b, 'host:1:gone');
    await b.deployer.start();
    await b.settle();
    expect(b.lastStatus(left)).toEqual({ state: 'error', description: STOPPED });
  });

  it('stops a deploy taken over after its own lease lapsed, posting nothing more for it', async () => {
    const a = await start({ runnerId: 'host:1:a' });
    a.provider.behave('production', { kind: 'gate' });
    const { id } = await a.deploy('production');
    await a.settle();
    // Another process found the lease lapsed (this one was stuck) and took the job over.
    const job = await a.job(id);
    const held = { runner: job?.runner, leaseExpiresAt: job?.leaseExpiresAt };
    expect(await a.store.takeOverDeployJob(id, held, 'host:2:b', a.scheduler.now(), 20_000)).toBe(true);
    await a.scheduler.advance(5_000);
    expect(a.provider.running()).toEqual([]);
    expect(a.states(id)).toEqual(['pending']);
    expect(await a.job(id)).toMatchObject({ state: 'running', runner: 'host:2:b' });
    expect(a.log.messages('warn')).toContain(
      'another deploybot process took over a deploy running here; stopping it',
    );
  });

  describe('a graceful stop', () => {
    it('lets a running deploy finish within the grace period', async () => {
      const a = await start({ shutdownGraceMs: 25_000 });
      a.provider.behave('production', { kind: 'gate' });
      const { id } = await a.deploy('production');
      await a.settle();
      let stopped = false;
      const stopping = a.deployer.stop().then(() => {
        stopped = true;
      });
      await a.scheduler.advance(10_000);
      expect(stopped).toBe(false);
      // Its lease is still renewed while it drains.
      expect((await a.job(id))?.leaseExpiresAt).toBe(a.scheduler.now() + 20_000);
      // Nothing new starts meanwhile.
      const { id: other } = await a.deploy('staging');
      await a.settle();
      expect(a.provider.began).toEqual([id]);
      a.provider.release(id);
      await stopping;
      expect(a.states(id)).toEqual(['pending', 'success']);
      expect(await a.job(other)).toMatchObject({ state: 'queued' });
    });

    it('ends what still runs after the grace period in error', async () => {
      const a = await start({ shutdownGraceMs: 25_000 });
      a.provider.behave('production', { kind: 'gate' });
      const { id } = await a.deploy('production');
      await a.settle();
      const stopping = a.deployer.stop();
      await a.scheduler.advance(25_000);
      await stopping;
      expect(a.lastStatus(id)).toEqual({
        state: 'error',
        description: 'deploybot stopped during the deploy',
      });
      expect(await a.logText(id)).toContain('[deploybot] deploybot is stopping; stopping the deploy\n');
    });

    it('puts a deploy that had not begun back in the queue at once, for another process', async () => {
      const a = await start({ shutdownGraceMs: 25_000 });
      const held = a.provider.holdNextPrepare();
      const { id } = await a.deploy('production');
      await held.reached;
      const stopping = a.deployer.stop();
      held.release();
      await stopping;
      expect(await a.job(id)).toMatchObject({
        state: 'queued',
        runner: undefined,
        leaseExpiresAt: undefined,
      });
      expect(a.provider.began).toEqual([]);

      const b = await start({ after: a, runnerId: 'host:2:b' });
      await b.settle();
      expect(b.provider.began).toEqual([id]);
      expect(b.states(id)).toEqual(['pending', 'success']);
    });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { DeploybotError } from '../../src/core/errors.js';
import { BOT_SECRET, createFlowRig, FLOW_REPO, type FlowRig } from '../support/deployer/deploy-flows.js';
import { failNextCalls, holdNextCall } from '../support/deployer/store-faults.js';

describe('a deploy job, run whole over memory ports', () => {
  let rig: FlowRig;
  afterEach(async () => {
    await rig.deployer.stop();
  });
  const start = async (options: Parameters<typeof createFlowRig>[0] = {}) => {
    rig = createFlowRig(options);
    await rig.deployer.start();
    return rig;
  };

  it('runs a deployment and reports success with how long the whole deploy took', async () => {
    await start();
    rig.provider.behave('production', { kind: 'gate' });
    const { id, result } = await rig.deploy('production');
    expect(result).toEqual({ kind: 'queued' });
    await rig.settle();
    expect(rig.provider.running()).toEqual([id]);
    expect(rig.lastStatus(id)).toEqual({ state: 'pending', description: 'deploying aaaaaaa to production' });
    await rig.scheduler.advance(45_000);
    rig.provider.release(id);
    await rig.settle();
    expect(rig.states(id)).toEqual(['pending', 'success']);
    expect(rig.lastStatus(id)).toEqual({
      state: 'success',
      description: 'deployed in 45s',
      environmentUrl: 'https://web.example.com',
    });
    expect(await rig.logText(id)).toBe(
      [
        `[deploybot] deploying ${FLOW_REPO} ${'a'.repeat(40)} (main) to production for alice`,
        `deploying ${id} for alice`,
        '[deploybot] success: deployed in 45s',
        '',
      ].join('\n'),
    );
    expect(await rig.job(id)).toMatchObject({
      state: 'finished',
      finalStatus: 'posted',
      postedState: 'success',
    });
  });

  it('runs a deployment once however often it is submitted: while queued, while running, once more late', async () => {
    await start();
    rig.provider.behave('staging', { kind: 'gate' });
    const { id } = await rig.deploy('staging');
    const again = {
      repository: FLOW_REPO,
      id,
      sha: 'a'.repeat(40),
      ref: 'main',
      environment: 'staging',
    };
    expect(await rig.deployer.submit(again)).toEqual({ kind: 'duplicate' });
    await rig.settle();
    expect(await rig.deployer.submit(again)).toEqual({ kind: 'duplicate' });
    rig.provider.release(id);
    await rig.settle();
    expect(await rig.deployer.submit(again)).toEqual({ kind: 'duplicate' });
    await rig.settle();
    expect(rig.provider.began).toEqual([id]);
    expect(rig.states(id)).toEqual(['pending', 'success']);
  });

  it('runs the deployments of one environment one at a time, in order, telling the waiting why', async () => {
    await start();
    rig.provider.behave('staging', { kind: 'gate' });
    const { id: first } = await rig.deploy('staging');
    await rig.settle();
    const { id: second } = await rig.deploy('staging');
    const { id: third } = await rig.deploy('staging');
    await rig.settle();
    expect(rig.provider.running()).toEqual([first]);
    expect(rig.lastStatus(second)).toEqual({
      state: 'queued',
      description: `waiting for deployment ${first} to finish`,
    });
    expect(rig.states(third)).toEqual(['queued']);
    rig.provider.release(first);
    await rig.settle();
    expect(rig.provider.running()).toEqual([second]);
    rig.provider.release(second);
    await rig.settle();
    rig.provider.release(third);
    await rig.settle();
    expect(rig.provider.began).toEqual([first, second, third]);
    expect(rig.provider.maxRunning).toBe(1);
    // Told it waits once, however many passes over the queue saw it waiting.
    expect(rig.states(third)).toEqual(['queued', 'pending', 'success']);
  });

  it('keeps to the concurrency limit across environments', async () => {
    await start({ concurrency: 2 });
    for (const environment of ['staging', 'production', 'qa'])
      rig.provider.behave(environment, { kind: 'gate' });
    const { id: a } = await rig.deploy('staging');
    const { id: b } = await rig.deploy('production');
    const { id: c } = await rig.deploy('qa');
    await rig.settle();
    expect(rig.provider.running().sort()).toEqual([a, b].sort());
    expect(rig.lastStatus(c)).toEqual({
      state: 'queued',
      description: 'waiting for a free slot (2 deploys running)',
    });
    rig.provider.release(a);
    await rig.settle();
    expect(rig.provider.running().sort()).toEqual([b, c].sort());
    rig.provider.release(b);
    rig.provider.release(c);
    await rig.settle();
    expect(rig.provider.maxRunning).toBe(2);
    for (const id of [a, b, c]) expect(rig.lastStatus(id)?.state).toBe('success');
  });

  it('stops a deploy that outlives its timeout, and says so in its log', async () => {
    await start();
    rig.provider.behave('preview', { kind: 'gate' });
    const { id } = await rig.deploy('preview');
    await rig.settle();
    await rig.scheduler.advance(4_999);
    expect(rig.provider.running()).toEqual([id]);
    await rig.scheduler.advance(1);
    expect(rig.provider.running()).toEqual([]);
    expect(rig.lastStatus(id)).toEqual({ state: 'error', description: 'timed out after 5s' });
    const log = await rig.logText(id);
    expect(log).toContain('[deploybot] the deploy took longer than its timeout of 5s; stopping it\n');
    expect(log).toMatch(/\[deploybot\] error: timed out after 5s\n$/);
  });

  it('leaves no timeout behind once a deploy ended', async () => {
    await start();
    const { id } = await rig.deploy('preview');
    await rig.settle();
    expect(rig.lastStatus(id)?.state).toBe('success');
    expect(rig.scheduler.pendingSleeps()).toBe(0);
  });

  it('puts a job back in the queue when deploybot stops before it began, and runs it at the next start', async () => {
    await start();
    const held = rig.provider.holdNextPrepare();
    const { id } = await rig.deploy('staging');
    await held.reached;
    const stopping = rig.deployer.stop();
    held.release();
    await stopping;
    expect(await rig.job(id)).toMatchObject({ state: 'queued', runner: undefined });
    expect(rig.states(id)).toEqual([]);
    expect(rig.provider.began).toEqual([]);

    const first = rig;
    rig = createFlowRig({ after: first });
    await rig.deployer.start();
    await rig.settle();
    expect(rig.provider.began).toEqual([id]);
    expect(rig.states(id)).toEqual(['pending', 'success']);
  });

  it('ends a deploy that was running when deploybot stopped in error', async () => {
    await start();
    rig.provider.behave('staging', { kind: 'gate' });
    const { id } = await rig.deploy('staging');
    await rig.settle();
    await rig.deployer.stop();
    expect(rig.lastStatus(id)).toEqual({
      state: 'error',
      description: 'deploybot stopped during the deploy',
    });
    expect(await rig.logText(id)).toContain('[deploybot] deploybot is stopping; stopping the deploy\n');
  });

  it('reports what the provider could not do as the outcome', async () => {
    await start();
    rig.provider.behave('staging', {
      kind: 'throw',
      error: new DeploybotError('checkout_failed', 'git fetch exited with code 128', {
        details: { sha: 'a'.repeat(40) },
      }),
    });
    rig.provider.behave('qa', { kind: 'end', outcome: { kind: 'exited', code: 3 } });
    const { id: checkout } = await rig.deploy('staging');
    const { id: exited } = await rig.deploy('qa');
    await rig.settle();
    expect(rig.lastStatus(checkout)).toEqual({
      state: 'error',
      description: 'could not check out aaaaaaa: git fetch exited with code 128',
    });
    expect(rig.lastStatus(exited)).toEqual({ state: 'failure', description: 'script exited with code 3' });
  });

  it('reads the payload from GitHub when the deployment came without it, and keeps it', async () => {
    await start();
    const { id } = await rig.deploy('staging', { payload: undefined });
    await rig.settle();
    expect(rig.github.calls.filter((c) => c.method === 'getDeployment')).toHaveLength(1);
    expect(await rig.job(id)).toMatchObject({ payload: { deploy_user: 'alice' }, task: 'deploy' });
    expect(await rig.logText(id)).toContain('to staging for alice\n');
  });

  it('masks deploybot secrets and what the provider fetched in the log', async () => {
    await start();
    rig.provider.setSecrets(['ghs_fetchedToken123']);
    const { id } = await rig.deploy('staging', {
      payload: { deploy_user: `${BOT_SECRET} ghs_fetchedToken123` },
    });
    await rig.settle();
    const log = await rig.logText(id);
    expect(log).not.toContain(BOT_SECRET);
    expect(log).not.toContain('ghs_fetchedToken123');
    expect(log).toContain('for [masked] [masked]');
  });

  it('records the pid of the deploy, so a restart can stop what it left', async () => {
    await start();
    rig.provider.behave('staging', { kind: 'gate' });
    const { id } = await rig.deploy('staging');
    await rig.settle();
    expect((await rig.job(id))?.pid).toBeGreaterThan(0);
    rig.provider.release(id);
    await rig.settle();
  });

  describe('when the store fails', () => {
    it('still records the end of a deploy when the first write of it fails', async () => {
      await start({ wrapStore: (store) => failNextCalls(store, 'finishDeployJob', 1) });
      const { id } = await rig.deploy('staging');
      await rig.settle();
      expect(rig.lastStatus(id)?.state).toBe('pending');
      await rig.scheduler.advance(100);
      expect(rig.lastStatus(id)?.description).toMatch(/^deployed in /);
      expect((await rig.logText(id)).match(/\[deploybot\] success: deployed in/g)).toHaveLength(1);
      expect(rig.log.messages('warn')).toContain('could not record the end of a deploy; retrying');
    });

    it('ends a deploy whose log could not be opened in error, never leaving it running', async () => {
      await start({ wrapStore: (store) => failNextCalls(store, 'lastDeployLogSeq', 1) });
      const { id } = await rig.deploy('staging');
      await rig.settle();
      expect(rig.lastStatus(id)).toEqual({
        state: 'error',
        description: 'deploybot could not run the deploy: internal error (internal)',
      });
      expect(await rig.job(id)).toMatchObject({ state: 'finished' });
      expect(rig.provider.began).toEqual([]);
    });

    it('keeps the queue moving after a claim fails: the pump tries again after a wait', async () => {
      await start({ wrapStore: (store) => failNextCalls(store, 'claimDeployJob', 1) });
      const { id } = await rig.deploy('staging');
      await rig.settle();
      expect(rig.provider.began).toEqual([]);
      expect(rig.log.messages('error')).toContain('could not work through the deploy queue');
      await rig.scheduler.advance(100);
      expect(rig.provider.began).toEqual([id]);
      expect(rig.lastStatus(id)?.state).toBe('success');
    });

    it('puts a job back in the queue when deploybot stops while its claim is in flight', async () => {
      let held!: ReturnType<typeof holdNextCall>['held'];
      await start({
        wrapStore: (store) => {
          const holding = holdNextCall(store, 'claimDeployJob');
          held = holding.held;
          return holding.store;
        },
      });
      const { id } = await rig.deploy('staging');
      await held.reached;
      const stopping = rig.deployer.stop();
      held.release();
      await stopping;
      expect(await rig.job(id)).toMatchObject({ state: 'queued', runner: undefined });
      expect(rig.states(id)).toEqual([]);
      expect(rig.provider.began).toEqual([]);
    });
  });

  describe('the final status', () => {
    it('is retried until GitHub takes it, and never posted twice', async () => {
      let down = 3;
      await start({
        wrapGitHub: (github) => ({
          ...github,
          createDeploymentStatus: async (request) => {
            if (request.state === 'success' && down-- > 0) {
              throw new DeploybotError('github_unavailable', 'Bad gateway');
            }
            return github.createDeploymentStatus(request);
          },
        }),
      });
      const { id } = await rig.deploy('staging');
      await rig.settle();
      expect(rig.states(id)).toEqual(['pending']);
      await rig.scheduler.advance(1_000);
      await rig.scheduler.advance(2_000);
      expect(rig.states(id)).toEqual(['pending']);
      await rig.scheduler.advance(3_000);
      expect(rig.states(id)).toEqual(['pending', 'success']);
      expect(await rig.job(id)).toMatchObject({ finalStatus: 'posted' });
      await rig.scheduler.advance(60_000);
      expect(rig.states(id)).toEqual(['pending', 'success']);
    });

    it('still owed when deploybot stopped is posted at the next start, without running again', async () => {
      let down = true;
      await start({
        wrapGitHub: (github) => ({
          ...github,
          createDeploymentStatus: async (request) => {
            if (down && request.state === 'success') throw new DeploybotError('github_unavailable', 'down');
            return github.createDeploymentStatus(request);
          },
        }),
      });
      const { id } = await rig.deploy('staging');
      await rig.settle();
      await rig.deployer.stop();
      expect(await rig.job(id)).toMatchObject({ finalStatus: 'owed', outcome: { state: 'success' } });
      down = false;

      const first = rig;
      rig = createFlowRig({ after: first });
      await rig.deployer.start();
      await rig.settle();
      expect(rig.states(id)).toEqual(['pending', 'success']);
      expect(rig.provider.began).toEqual([]);
      expect(await rig.job(id)).toMatchObject({ finalStatus: 'posted', postedState: 'success' });
    });
  });
});

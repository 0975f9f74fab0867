import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { deployConfig, fixtureProvider, REPO } from '../support/deployer/deploy-harness.js';
import { createDeployerRig, type DeployerRig } from '../support/deployer/deployer-rig.js';
import { readRuns, release, waitForFile, waitUntilAsync } from '../support/deployer/files.js';
import { failNextCalls, type HeldCall, holdNextCall } from '../support/deployer/store-faults.js';

const WAIT = { timeoutMs: 20_000 };
const config = (resultDir: string) =>
  deployConfig({
    staging: { provider: fixtureProvider(resultDir, ['record']) },
    production: { provider: fixtureProvider(resultDir, ['gate']) },
  });

describe('the deployer when the store fails', () => {
  let rig: DeployerRig;
  afterEach(async () => {
    // Also shows stop() ends whatever the store did.
    await rig.close();
  });

  const start = async (wrapStore: (store: Store) => Store, sweepIntervalMs?: number) => {
    rig = await createDeployerRig({ config, wrapStore, ...(sweepIntervalMs ? { sweepIntervalMs } : {}) });
    await rig.deployer.start();
  };
  let held: HeldCall;
  const hold = (method: Parameters<typeof holdNextCall>[1]) => (store: Store) => {
    const holding = holdNextCall(store, method);
    held = holding.held;
    return holding.store;
  };
  const logText = async (id: number) =>
    (await rig.store.readDeployLog(id, 0, 1000)).map((chunk) => chunk.text).join('');

  it('still records the end of a deploy when the first write of it fails', async () => {
    await start((store) => failNextCalls(store, 'finishDeployJob', 1));
    const { id } = await rig.deploy('staging');
    const success = await rig.github.waitForStatus(id, 'success', WAIT);
    expect(success.description).toMatch(/^deployed in /);
    expect(await rig.store.getDeployJob(id)).toMatchObject({
      state: 'finished',
      outcome: { state: 'success' },
    });
    expect((await logText(id)).match(/\[deploybot\] success: deployed in/g)).toHaveLength(1);
    expect(rig.logs.some((line) => line.includes('could not record the end of a deploy; retrying'))).toBe(
      true,
    );
  });

  it('records the final status as posted when that write fails, without posting it twice', async () => {
    await start((store) => failNextCalls(store, 'settleFinalDeployStatus', 2));
    const { id } = await rig.deploy('staging');
    await rig.github.waitForStatus(id, 'success', WAIT);
    await waitUntilAsync(
      async () => (await rig.store.getDeployJob(id))?.finalStatus === 'posted',
      'the final status to be recorded as posted',
    );
    expect(rig.github.statuses(id).map((s) => s.state)).toEqual(['pending', 'success']);
  });

  it('ends a deploy whose log could not be opened in error, never leaving it running', async () => {
    await start((store) => failNextCalls(store, 'lastDeployLogSeq', 1));
    const { id } = await rig.deploy('staging');
    const error = await rig.github.waitForStatus(id, 'error', WAIT);
    expect(error.description).toBe('deploybot could not run the deploy: internal error (internal)');
    expect(await rig.store.getDeployJob(id)).toMatchObject({ state: 'finished' });
    expect(await readRuns(rig.resultDir)).toEqual([]);
  });

  it('keeps the queue moving after a claim fails', async () => {
    await start((store) => failNextCalls(store, 'claimDeployJob', 1));
    const { id } = await rig.deploy('staging');
    await rig.github.waitForStatus(id, 'success', WAIT);
    expect(await readRuns(rig.resultDir)).toEqual([id]);
    expect(rig.logs.some((line) => line.includes('could not work through the deploy queue'))).toBe(true);
  });

  it('cancels a deployment whose claim fails while the cancel waits for it', async () => {
    await start(hold('claimDeployJob'));
    const { id } = await rig.deploy('production');
    await held.reached;
    const cancelling = rig.deployer.cancel({ deploymentId: id }, 'alice');
    held.release(new Error('the store is down'));
    expect(await cancelling).toEqual({ cancelled: [id] });
    const error = await rig.github.waitForStatus(id, 'error', WAIT);
    expect(error.description).toBe('cancelled by @alice');
    // However the cancel met it, queued or just started, it never ran to its end.
    expect(await rig.store.getDeployJob(id)).toMatchObject({
      state: 'finished',
      outcome: { state: 'error' },
    });
  });

  it('does not report a deploy as cancelled once its outcome is decided', async () => {
    await start(hold('finishDeployJob'));
    const { id } = await rig.deploy('staging');
    await held.reached;
    expect(await rig.deployer.cancel({ deploymentId: id }, 'alice')).toEqual({ cancelled: [] });
    held.release();
    await rig.github.waitForStatus(id, 'success', WAIT);
  });

  it.each([
    ['succeeds', undefined],
    ['fails', new Error('the store is down')],
  ])('puts a job back in the queue when deploybot stops while its claim %s', async (_what, failure) => {
    await start(hold('claimDeployJob'));
    const { id } = await rig.deploy('production');
    await held.reached;
    const stopping = rig.deployer.stop();
    held.release(failure);
    await stopping;
    expect(await rig.store.getDeployJob(id)).toMatchObject({ state: 'queued', runner: undefined });
    expect(rig.github.statuses(id)).toEqual([]);
    expect(await readRuns(rig.resultDir)).toEqual([]);
  });

  it('ends a deploy interrupted by a restart once the store is back, and frees its environment', async () => {
    rig = await createDeployerRig({
      config,
      wrapStore: (store) => failNextCalls(store, 'finishDeployJob', 1),
      sweepIntervalMs: 50,
    });
    const interrupted = rig.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: 'a'.repeat(40),
      environment: 'production',
    });
    await rig.store.recordDeployJob({
      deploymentId: interrupted.id,
      repository: REPO,
      environment: 'production',
      lane: `${REPO}:production`,
      ref: 'main',
      sha: 'a'.repeat(40),
      task: 'deploy',
      creator: 'octocat',
      payload: {},
      logToken: 'token-interrupted',
      enqueuedAt: 1,
    });
    await rig.store.claimDeployJob(interrupted.id, `${REPO}:production`, 'a-process-that-died', 2);
    await rig.deployer.start();

    const error = await rig.github.waitForStatus(interrupted.id, 'error', WAIT);
    expect(error.description).toBe('the deploybot process running it stopped');
    expect(await logText(interrupted.id)).toBe(
      '[deploybot] error: the deploybot process running it stopped\n',
    );
    const { id: next } = await rig.deploy('production');
    await waitForFile(join(rig.resultDir, `started-${next}`));
    await release(rig.resultDir, next);
    await rig.github.waitForStatus(next, 'success', WAIT);
  });
});

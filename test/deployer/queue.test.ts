import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type DeployHarness,
  deployConfig,
  fixtureProvider,
  REPO,
  startDeployHarness,
} from '../support/deployer/deploy-harness.js';
import { readRuns, release, waitForFile } from '../support/deployer/files.js';

const SHA = 'b'.repeat(40);
const WAIT = { timeoutMs: 20_000 };

describe('order and concurrency', () => {
  let h: DeployHarness;
  afterEach(async () => {
    const schemaErrors = [...h.github.schemaErrors];
    await h.stop();
    expect(schemaErrors).toEqual([]);
  });

  const start = (env: Record<string, string> = {}) =>
    startDeployHarness(
      (resultDir) =>
        deployConfig({
          staging: { provider: fixtureProvider(resultDir, ['gate']) },
          production: { provider: fixtureProvider(resultDir, ['gate']) },
        }),
      { env },
    );
  const deploy = (environment: string) =>
    h.github.createDeploymentDirectly(REPO, { ref: 'main', sha: SHA, environment });
  const statusId = (deploymentId: number, state: string) =>
    h.github.statuses(deploymentId).find((s) => s.state === state)?.id ?? Number.NaN;

  it('runs deployments to one environment one after the other, in order', async () => {
    h = await start();
    const first = deploy('staging');
    await waitForFile(join(h.resultDir, `started-${first.id}`));
    const second = deploy('staging');
    const third = deploy('staging');
    const queued = await h.github.waitForStatus(second.id, 'queued', WAIT);
    expect(queued.description).toBe(`waiting for deployment ${first.id} to finish`);
    expect((await h.github.waitForStatus(third.id, 'queued', WAIT)).description).toBe(
      `waiting for deployment ${first.id} to finish`,
    );
    expect(existsSync(join(h.resultDir, `started-${second.id}`))).toBe(false);

    await release(h.resultDir, first.id);
    await h.github.waitForStatus(first.id, 'success', WAIT);
    await waitForFile(join(h.resultDir, `started-${second.id}`));
    expect(existsSync(join(h.resultDir, `started-${third.id}`))).toBe(false);
    await release(h.resultDir, second.id);
    await release(h.resultDir, third.id);
    await h.github.waitForStatus(third.id, 'success', WAIT);

    expect(await readRuns(h.resultDir)).toEqual([first.id, second.id, third.id]);
    // Each started (pending) only after the one before it reached its final status.
    expect(statusId(second.id, 'pending')).toBeGreaterThan(statusId(first.id, 'success'));
    expect(statusId(third.id, 'pending')).toBeGreaterThan(statusId(second.id, 'success'));
    // GitHub retires an older successful deployment when a newer one succeeds.
    expect(h.github.statuses(second.id).map((s) => s.state)).toEqual([
      'queued',
      'pending',
      'success',
      'inactive',
    ]);
  });

  it('runs deployments to two environments at the same time', async () => {
    h = await start();
    const staging = deploy('staging');
    const production = deploy('production');
    // Both scripts are running at once: each waits to be released.
    await waitForFile(join(h.resultDir, `started-${staging.id}`));
    await waitForFile(join(h.resultDir, `started-${production.id}`));
    await release(h.resultDir, staging.id);
    await release(h.resultDir, production.id);
    await h.github.waitForStatus(staging.id, 'success', WAIT);
    await h.github.waitForStatus(production.id, 'success', WAIT);
    expect(h.github.statuses(production.id).map((s) => s.state)).toEqual(['pending', 'success']);
  });

  it('keeps to DEPLOY_CONCURRENCY across environments', async () => {
    h = await start({ DEPLOY_CONCURRENCY: '1' });
    const staging = deploy('staging');
    await waitForFile(join(h.resultDir, `started-${staging.id}`));
    const production = deploy('production');
    const queued = await h.github.waitForStatus(production.id, 'queued', WAIT);
    expect(queued.description).toBe('waiting for a free slot (1 deploy running)');
    expect(existsSync(join(h.resultDir, `started-${production.id}`))).toBe(false);
    await release(h.resultDir, staging.id);
    await waitForFile(join(h.resultDir, `started-${production.id}`));
    await release(h.resultDir, production.id);
    await h.github.waitForStatus(production.id, 'success', WAIT);
    expect(statusId(production.id, 'pending')).toBeGreaterThan(statusId(staging.id, 'success'));
  });
});

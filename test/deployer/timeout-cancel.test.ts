import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type DeployHarness,
  deployConfig,
  fixtureProvider,
  REPO,
  readLogPage,
  startDeployHarness,
} from '../support/deployer/deploy-harness.js';
import { isProcessAlive, readJson, readRuns, release, waitForFile } from '../support/deployer/files.js';

const SHA = 'c'.repeat(40);
const WAIT = { timeoutMs: 20_000 };

describe('timeouts and cancelling', () => {
  let h: DeployHarness;
  beforeEach(async () => {
    h = await startDeployHarness((resultDir) =>
      deployConfig({
        staging: { provider: fixtureProvider(resultDir, ['gate']) },
        production: { provider: fixtureProvider(resultDir, ['tree']) },
        // Long enough for node to start the fixture on a busy machine: the test waits for it to report.
        preview: { provider: fixtureProvider(resultDir, ['tree'], { timeout: 5 }) },
      }),
    );
  });
  afterEach(async () => {
    const schemaErrors = [...h.github.schemaErrors];
    await h.stop();
    expect(schemaErrors).toEqual([]);
  });

  const deploy = (environment: string) =>
    h.github.createDeploymentDirectly(REPO, { ref: 'main', sha: SHA, environment });
  const pidsOf = (id: number) =>
    readJson<{ script: number; grandchild: number }>(join(h.resultDir, `pids-${id}.json`));

  it('kills the whole process tree when the deploy times out, and reports error', async () => {
    const deployment = deploy('preview');
    await waitForFile(join(h.resultDir, `pids-${deployment.id}.json`));
    const pids = await pidsOf(deployment.id);
    expect(isProcessAlive(pids.grandchild)).toBe(true);

    const error = await h.github.waitForStatus(deployment.id, 'error', WAIT);
    expect(error.description).toBe('timed out after 5s');
    expect(isProcessAlive(pids.script)).toBe(false);
    expect(isProcessAlive(pids.grandchild)).toBe(false);
    const log = await readLogPage(h.url, error.log_url);
    expect(log.text).toContain('started a grandchild; waiting forever');
    expect(log.text).toContain('[deploybot] the deploy took longer than its timeout of 5s; stopping it');
    expect(log.text).toMatch(/\[deploybot\] error: timed out after 5s\n$/);
  });

  it('drops a queued deployment when it is cancelled: error, and it never runs', async () => {
    const running = deploy('staging');
    await waitForFile(join(h.resultDir, `started-${running.id}`));
    const waiting = deploy('staging');
    await h.github.waitForStatus(waiting.id, 'queued', WAIT);

    expect(await h.app.cancelDeploy({ deploymentId: waiting.id }, 'alice')).toEqual({
      cancelled: [waiting.id],
    });
    const error = await h.github.waitForStatus(waiting.id, 'error', WAIT);
    expect(error.description).toBe('cancelled by @alice');
    expect(await h.app.cancelDeploy({ deploymentId: waiting.id }, 'alice')).toEqual({ cancelled: [] });

    await release(h.resultDir, running.id);
    await h.github.waitForStatus(running.id, 'success', WAIT);
    expect(await readRuns(h.resultDir)).toEqual([running.id]);
    expect(h.github.statuses(waiting.id).map((s) => s.state)).toEqual(['queued', 'error']);
  });

  it('kills a running deployment when it is cancelled, and the environment is free again', async () => {
    const running = deploy('production');
    await waitForFile(join(h.resultDir, `pids-${running.id}.json`));
    const pids = await pidsOf(running.id);

    const result = await h.app.cancelDeploy({ repository: 'web', environment: 'production' }, '@bob');
    expect(result).toEqual({ cancelled: [running.id] });
    const error = await h.github.waitForStatus(running.id, 'error', WAIT);
    expect(error.description).toBe('cancelled by @bob');
    expect(isProcessAlive(pids.script)).toBe(false);
    expect(isProcessAlive(pids.grandchild)).toBe(false);

    const next = deploy('production');
    await waitForFile(join(h.resultDir, `pids-${next.id}.json`));
    await h.app.cancelDeploy({ deploymentId: next.id }, 'bob');
    await h.github.waitForStatus(next.id, 'error', WAIT);
  });

  it('cancels everything running and waiting in an environment at once', async () => {
    const running = deploy('staging');
    await waitForFile(join(h.resultDir, `started-${running.id}`));
    const waiting = deploy('staging');
    await h.github.waitForStatus(waiting.id, 'queued', WAIT);

    const result = await h.app.cancelDeploy({ repository: REPO, environment: 'staging' }, 'carol');
    expect([...result.cancelled].sort()).toEqual([running.id, waiting.id].sort());
    for (const id of [running.id, waiting.id]) {
      expect((await h.github.waitForStatus(id, 'error', WAIT)).description).toBe('cancelled by @carol');
    }
    expect(existsSync(join(h.resultDir, `started-${waiting.id}`))).toBe(false);
  });

  it('refuses to cancel in an environment deploybot does not know', async () => {
    await expect(
      h.app.cancelDeploy({ repository: REPO, environment: 'nowhere' }, 'dave'),
    ).rejects.toMatchObject({
      code: 'unknown_environment',
    });
  });
});

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildMergedPullRequestPayload, deriveSha } from '../../src/stand-ins/github-payloads.js';
import {
  type DeployHarness,
  deployConfig,
  fixtureProvider,
  REPO,
  startDeployHarness,
} from '../support/deployer/deploy-harness.js';
import { readJson, readRuns, release, waitForFile } from '../support/deployer/files.js';
import { readJobRows } from '../support/deployer/store-rows.js';
import { startWebhookFilter, type WebhookFilter } from '../support/deployer/webhook-filter.js';

const WAIT = { timeoutMs: 20_000 };
const isDelivered = (status: number | undefined) => status !== undefined && status >= 200 && status < 300;
const deploymentIdOf = (payload: unknown) => (payload as { deployment?: { id?: number } }).deployment?.id;

describe('each deployment runs exactly once', () => {
  let h: DeployHarness;
  let filter: WebhookFilter | undefined;
  afterEach(async () => {
    const schemaErrors = [...h.github.schemaErrors];
    await h.stop();
    await filter?.close();
    filter = undefined;
    expect(schemaErrors).toEqual([]);
  });

  it('runs once however often its deployment webhook arrives: twice while running, once more late', async () => {
    h = await startDeployHarness((resultDir) =>
      deployConfig({ staging: { provider: fixtureProvider(resultDir, ['gate']) } }),
    );
    const deployment = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: deriveSha('once'),
      environment: 'staging',
    });
    await waitForFile(join(h.resultDir, `started-${deployment.id}`));
    await h.github.flushWebhooks();
    const original = h.github.sentWebhooks.find((w) => w.event === 'deployment');
    expect(isDelivered(original?.status)).toBe(true);

    const again = await h.sendWebhook('deployment', original?.payload, { deliveryId: original?.deliveryId });
    expect(JSON.parse(again.body)).toEqual({ status: 'duplicate' });
    const redelivered = await h.sendWebhook('deployment', original?.payload);
    expect(JSON.parse(redelivered.body)).toEqual({ status: 'accepted' });
    await h.app.idle();

    await release(h.resultDir, deployment.id);
    await h.github.waitForStatus(deployment.id, 'success', WAIT);
    const late = await h.sendWebhook('deployment', original?.payload);
    expect(JSON.parse(late.body)).toEqual({ status: 'accepted' });
    await h.app.idle();

    // A second run would have been queued before this one, in the same environment, and run first.
    const sentinel = await deploySentinel('staging', true);
    expect(await readRuns(h.resultDir)).toEqual([deployment.id, sentinel]);
    expect(countJobs(deployment.id)).toBe(1);
    // GitHub retires the older success once the sentinel's succeeds.
    expect(h.github.statuses(deployment.id).map((s) => s.state)).toEqual(['pending', 'success', 'inactive']);
  });

  /** Runs one more deployment to `environment` to its end: everything queued before it has run by then. */
  async function deploySentinel(environment: string, gated = false): Promise<number> {
    const sentinel = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: deriveSha('sentinel'),
      environment,
    });
    if (gated) {
      await waitForFile(join(h.resultDir, `started-${sentinel.id}`));
      await release(h.resultDir, sentinel.id);
    }
    await h.github.waitForStatus(sentinel.id, 'success', WAIT);
    return sentinel.id;
  }

  function countJobs(id: number): number {
    return readJobRows(h.dataDir).filter((row) => row.deployment_id === id).length;
  }

  const mergeConfig = (resultDir: string) =>
    deployConfig({
      staging: {
        deploy_on_merge: 'main',
        required_contexts: [],
        provider: fixtureProvider(resultDir, ['record']),
      },
    });
  const mergedPullRequest = (sha: string) =>
    buildMergedPullRequestPayload({
      repo: REPO,
      number: 42,
      baseRef: 'main',
      mergeCommitSha: sha,
      author: 'mona',
      title: 'Ship it',
    });

  it("runs deploybot's own deployment once when its deployment webhook never arrives", async () => {
    h = await startDeployHarness(mergeConfig);
    const sha = deriveSha('merged-no-webhook');
    h.github.addCommit(REPO, sha, { message: 'Merge pull request #42', author: 'mona' });
    filter = await startWebhookFilter(h.webhookUrl, ['deployment']);
    h.github.webhookUrl = filter.url;

    await h.github.sendWebhook('pull_request', mergedPullRequest(sha));
    await h.github.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/repos/${REPO}/deployments`,
      WAIT,
    );
    const id = h.github.deployments(REPO)[0]?.id as number;
    await h.github.waitForStatus(id, 'success', WAIT);
    await h.github.flushWebhooks();

    expect(filter.dropped).toContain('deployment');
    h.github.webhookUrl = h.webhookUrl;
    const sentinel = await deploySentinel('staging');
    expect(await readRuns(h.resultDir)).toEqual([id, sentinel]);
    expect(countJobs(id)).toBe(1);
    // What the creation did not return was read from GitHub before the script ran.
    const seen = await readJson<{ env: Record<string, string> }>(join(h.resultDir, `run-${id}.json`));
    expect(seen.env.DEPLOY_USER).toBe('mona');
    expect(JSON.parse(seen.env.DEPLOY_PAYLOAD as string)).toMatchObject({ pull_request: 42 });
    expect(seen.env.DEPLOY_SHA).toBe(sha);
  });

  it("runs deploybot's own deployment once when its deployment webhook does arrive", async () => {
    h = await startDeployHarness(mergeConfig);
    const sha = deriveSha('merged-with-webhook');
    h.github.addCommit(REPO, sha, { message: 'Merge pull request #42', author: 'mona' });

    await h.sendWebhook('pull_request', mergedPullRequest(sha));

    await h.github.waitForRequest(
      (r) => r.method === 'POST' && r.path === `/repos/${REPO}/deployments`,
      WAIT,
    );
    const id = h.github.deployments(REPO)[0]?.id as number;
    await h.github.waitForStatus(id, 'success', WAIT);
    await h.github.flushWebhooks();
    await h.app.idle();

    const deliveries = h.github.sentWebhooks.filter(
      (w) => w.event === 'deployment' && w.payload !== undefined,
    );
    expect(
      deliveries.filter((w) => deploymentIdOf(w.payload) === id).map((w) => isDelivered(w.status)),
    ).toEqual([true]);
    // The webhook came after deploybot had queued it itself; a second run would come before the sentinel.
    const sentinel = await deploySentinel('staging');
    expect(await readRuns(h.resultDir)).toEqual([id, sentinel]);
    expect(countJobs(id)).toBe(1);
    expect(h.github.statuses(id).map((s) => s.state)).toEqual(['pending', 'success', 'inactive']);
  });
});

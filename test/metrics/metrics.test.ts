import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDeploymentStatusPayload, deriveSha } from '../../src/stand-ins/github-payloads.js';
import { CHAT_CONFIG, nextResponse, slash } from '../support/chat.js';
import {
  type DeployHarness,
  deployConfig,
  fixtureProvider,
  REPO,
  startDeployHarness,
} from '../support/deployer/deploy-harness.js';
import { release, waitForFile } from '../support/deployer/files.js';
import { type Harness, startHarness } from '../support/harness.js';
import { labelsOf, sampleOf } from './scrape.js';

const WAIT = { timeoutMs: 20_000 };
const TOKEN = 'metrics-token-0123456789abcdef';

async function scrape(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${url}/metrics`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

describe('GET /metrics', () => {
  let h: DeployHarness | Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('counts a deploy, its webhooks and a Slack 429 against the stand-ins, with templated routes', async () => {
    const d = await startDeployHarness((resultDir) =>
      deployConfig({
        staging: { provider: fixtureProvider(resultDir, ['record', '0']) },
        production: { provider: fixtureProvider(resultDir, ['record', '1']) },
      }),
    );
    h = d;
    d.github.setRef(REPO, 'main', deriveSha('web-main'));
    d.slack.rateLimit('chat.postMessage', { times: 1, retryAfterSeconds: 1 });

    const ok = d.github.createDeploymentDirectly(REPO, { ref: 'main', environment: 'staging' });
    await d.github.waitForStatus(ok.id, 'success', WAIT);
    const failed = d.github.createDeploymentDirectly(REPO, { ref: 'main', environment: 'production' });
    await d.github.waitForStatus(failed.id, 'failure', WAIT);
    await d.slack.waitFor(
      () => d.slack.calls.find((c) => c.method === 'chat.postMessage' && c.status === 200),
      WAIT,
    );
    await d.github.flushWebhooks();
    await d.app.idle();

    const text = await scrape(d.url);
    const deployed = { repository: REPO, environment: 'staging', state: 'success' };
    expect(sampleOf(text, 'deploybot_deployments_total', deployed)).toBe(1);
    expect(
      sampleOf(text, 'deploybot_deployments_total', {
        ...deployed,
        environment: 'production',
        state: 'failure',
      }),
    ).toBe(1);
    expect(sampleOf(text, 'deploybot_deploy_duration_seconds_count', deployed)).toBe(1);
    expect(sampleOf(text, 'deploybot_deploy_duration_seconds_bucket', { ...deployed, le: '+Inf' })).toBe(1);

    const handled = sampleOf(text, 'deploybot_webhook_deliveries_total', {
      event: 'deployment',
      outcome: 'handled',
    });
    expect(handled).toBe(2);
    expect(sampleOf(text, 'deploybot_webhook_lag_seconds_count', { event: 'deployment' })).toBe(2);
    expect(
      sampleOf(text, 'deploybot_webhook_deliveries_total', {
        event: 'deployment_status',
        outcome: 'handled',
      }),
    ).toBeGreaterThanOrEqual(2);

    const statuses = {
      service: 'github',
      method: 'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
      outcome: 'ok',
    };
    expect(sampleOf(text, 'deploybot_api_calls_total', statuses)).toBeGreaterThanOrEqual(4);
    const slackOk = { service: 'slack', method: 'chat.postMessage', outcome: 'ok' };
    expect(sampleOf(text, 'deploybot_api_calls_total', slackOk)).toBeGreaterThanOrEqual(1);
    const limited = { service: 'slack', method: 'chat.postMessage' };
    expect(sampleOf(text, 'deploybot_api_rate_limited_total', limited)).toBe(1);
    expect(sampleOf(text, 'deploybot_api_retries_total', limited)).toBe(1);
    // Route templates only: no repository or deployment id in any method label.
    for (const labels of labelsOf(text, 'deploybot_api_calls_total')) {
      expect(labels.method).not.toContain('octo-org');
      expect(labels.method).not.toMatch(/\/\d+(\/|$)/);
    }

    expect(sampleOf(text, 'deploybot_deploy_queue_depth')).toBe(0);
    expect(sampleOf(text, 'deploybot_store_up')).toBe(1);
    expect(sampleOf(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  }, 40_000);

  it('counts GitHub retries and outcomes per attempt', async () => {
    const d = await startDeployHarness((resultDir) =>
      deployConfig({ staging: { provider: fixtureProvider(resultDir, ['record', '0']) } }),
    );
    h = d;
    d.github.setRef(REPO, 'main', deriveSha('web-main'));
    d.github.failNext({ method: 'POST', path: /\/statuses$/ }, { status: 502 }, 1);
    d.github.failNext(
      { method: 'POST', path: /\/statuses$/ },
      { status: 429, headers: { 'retry-after': '0' }, body: { message: 'API rate limit exceeded' } },
      1,
    );
    d.github.failNext({ method: 'GET', path: /\/statuses$/ }, { status: 502 }, 1);
    const ok = d.github.createDeploymentDirectly(REPO, { ref: 'main', environment: 'staging' });
    await d.github.waitForStatus(ok.id, 'success', WAIT);
    await d.app.idle();

    const text = await scrape(d.url);
    const route = {
      service: 'github',
      method: 'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    };
    // pending: 502, not tried again (GitHub may have taken it). success: 429; the final status's
    // own retry reads the statuses first (502, tried again by the client: a read), then posts it.
    const read = { ...route, method: 'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses' };
    expect(sampleOf(text, 'deploybot_api_calls_total', { ...route, outcome: '502' })).toBe(1);
    expect(sampleOf(text, 'deploybot_api_calls_total', { ...route, outcome: '429' })).toBe(1);
    expect(sampleOf(text, 'deploybot_api_calls_total', { ...route, outcome: 'ok' })).toBe(1);
    expect(sampleOf(text, 'deploybot_api_retries_total', route)).toBeUndefined();
    expect(sampleOf(text, 'deploybot_api_rate_limited_total', route)).toBe(1);
    expect(sampleOf(text, 'deploybot_api_calls_total', { ...read, outcome: '502' })).toBe(1);
    expect(sampleOf(text, 'deploybot_api_calls_total', { ...read, outcome: 'ok' })).toBe(1);
    expect(sampleOf(text, 'deploybot_api_retries_total', read)).toBe(1);
    expect(d.github.statuses(ok.id).map((s) => s.state)).toEqual(['success']);
  }, 40_000);

  it('shows the queue: one deploy running, one waiting behind it, and how long it has waited', async () => {
    const d = await startDeployHarness((resultDir) =>
      deployConfig({ staging: { provider: fixtureProvider(resultDir, ['gate']) } }),
    );
    h = d;
    d.github.setRef(REPO, 'main', deriveSha('web-main'));
    const first = d.github.createDeploymentDirectly(REPO, { ref: 'main', environment: 'staging' });
    await waitForFile(join(d.resultDir, `started-${first.id}`));
    const second = d.github.createDeploymentDirectly(REPO, { ref: 'main', environment: 'staging' });
    await d.github.flushWebhooks();
    await d.app.idle();

    const text = await scrape(d.url);
    expect(sampleOf(text, 'deploybot_deploys_running')).toBe(1);
    expect(sampleOf(text, 'deploybot_deploy_queue_depth')).toBe(1);
    expect(sampleOf(text, 'deploybot_deploy_queue_oldest_wait_seconds')).toBeGreaterThanOrEqual(0);

    await release(d.resultDir, first.id);
    await waitForFile(join(d.resultDir, `started-${second.id}`));
    await release(d.resultDir, second.id);
    await d.github.waitForStatus(second.id, 'success', WAIT);
  }, 40_000);

  it('counts locks held per repository', async () => {
    const c = await startHarness({ config: CHAT_CONFIG });
    h = c;
    c.github.addRepository('octo-org/web', { defaultBranch: 'main' });
    c.github.addRepository('octo-org/api');
    const sent = await slash(c, 'lock staging on web: release freeze');
    await nextResponse(c, sent.responseUrl);
    const text = await scrape(c.url);
    expect(sampleOf(text, 'deploybot_locks_held', { repository: 'octo-org/web' })).toBe(1);
    expect(sampleOf(text, 'deploybot_locks_held', { repository: 'octo-org/api' })).toBe(0);
  });

  it('needs the bearer token when METRICS_TOKEN is set, and says nothing without it', async () => {
    const c = await startHarness({ env: { METRICS_TOKEN: TOKEN } });
    h = c;
    for (const authorization of [
      undefined,
      'Bearer wrong-token-0123456789abcdef',
      `Basic ${TOKEN}`,
      'Bearer ',
    ]) {
      const response = await fetch(`${c.url}/metrics`, {
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('Bearer');
      expect(await response.text()).not.toContain('deploybot_');
    }
    const text = await scrape(c.url, { authorization: `Bearer ${TOKEN}` });
    expect(text).toContain('deploybot_deploy_queue_depth');
    expect(c.logs.join('\n')).not.toContain(TOKEN);
  });

  it('is open when METRICS_TOKEN is not set', async () => {
    const c = await startHarness();
    h = c;
    expect(await scrape(c.url)).toContain('# TYPE deploybot_deployments_total counter');
  });

  it('counts deliveries answered without handling: ignored, duplicate, rejected under one label', async () => {
    const c = await startHarness();
    h = c;
    const payload = { repository: { full_name: 'octo-org/web' } };
    await c.sendWebhook('star', payload);
    const status = buildDeploymentStatusPayload({
      repo: 'octo-org/web',
      deployment: { id: 7, ref: 'main', environment: 'staging', creator: 'octocat' },
      status: { id: 1, state: 'pending' },
    });
    await c.sendWebhook('deployment_status', status, { deliveryId: 'd-1' });
    await c.app.idle();
    await c.sendWebhook('deployment_status', status, { deliveryId: 'd-1' });
    await c.github.sendWebhook('deployment', payload, { signature: 'sha256=forged', deliveryId: 'd-2' });
    await c.app.idle();
    const text = await scrape(c.url);
    const count = (event: string, outcome: string) =>
      sampleOf(text, 'deploybot_webhook_deliveries_total', { event, outcome });
    expect(count('star', 'ignored')).toBe(1);
    expect(count('deployment_status', 'handled')).toBe(1);
    expect(count('deployment_status', 'duplicate')).toBe(1);
    expect(count('(unverified)', 'rejected')).toBe(1);
    expect(count('deployment', 'rejected')).toBeUndefined();
  });
});

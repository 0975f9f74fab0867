import { describe, expect, it } from 'vitest';
import type { Lock } from '../../src/core/lock.js';
import type { DeployJob } from '../../src/core/ports/deploy-job-store.js';
import { createPrometheusMetrics } from '../../src/metrics/prometheus-metrics.js';
import { createManualClock } from '../support/manual-clock.js';
import { createMemoryLog } from '../support/memory/memory-log.js';
import { sampleOf } from './scrape.js';

const NOW = 1_700_000_000_000;

function sourcesWith(jobs: Partial<DeployJob>[], locks: Lock[], failing = false) {
  const log = createMemoryLog();
  return {
    log,
    sources: {
      jobs: {
        listUnfinishedDeployJobs: async () => {
          if (failing) throw new Error('database is locked');
          return jobs as DeployJob[];
        },
      },
      locks: { listLocks: async (repository: string) => locks.filter((l) => l.repository === repository) },
      repositories: ['octo-org/web', 'octo-org/api'],
      clock: createManualClock(NOW),
      log,
    },
  };
}

describe('the Prometheus metrics', () => {
  it('turns domain facts into series', async () => {
    const { port, registry } = createPrometheusMetrics(sourcesWith([], []).sources);
    port.deployEnded({
      repository: 'octo-org/web',
      environment: 'prod',
      state: 'failure',
      durationMs: 42_000,
    });
    port.deployEnded({
      repository: 'octo-org/web',
      environment: 'prod',
      state: 'error',
      durationMs: undefined,
    });
    port.webhookDelivery('pull_request', 'handled', 1_500);
    port.webhookDelivery('pull_request', 'retried');
    port.apiCall({ service: 'github', method: 'GET /repos/{owner}/{repo}', outcome: '502', retry: false });
    port.apiCall({ service: 'github', method: 'GET /repos/{owner}/{repo}', outcome: 'ok', retry: true });
    port.rateLimited('slack', 'chat.update', true);
    port.rateLimited('github', 'POST /repos/{owner}/{repo}/deployments', false);
    const text = await registry.metrics();

    const prod = { repository: 'octo-org/web', environment: 'prod' };
    expect(sampleOf(text, 'deploybot_deployments_total', { ...prod, state: 'failure' })).toBe(1);
    expect(sampleOf(text, 'deploybot_deployments_total', { ...prod, state: 'error' })).toBe(1);
    expect(sampleOf(text, 'deploybot_deploy_duration_seconds_sum', { ...prod, state: 'failure' })).toBe(42);
    expect(
      sampleOf(text, 'deploybot_deploy_duration_seconds_bucket', { ...prod, state: 'failure', le: '30' }),
    ).toBe(0);
    expect(
      sampleOf(text, 'deploybot_deploy_duration_seconds_bucket', { ...prod, state: 'failure', le: '60' }),
    ).toBe(1);
    // A deploy that never ran has no duration.
    expect(
      sampleOf(text, 'deploybot_deploy_duration_seconds_count', { ...prod, state: 'error' }),
    ).toBeUndefined();
    expect(
      sampleOf(text, 'deploybot_webhook_deliveries_total', { event: 'pull_request', outcome: 'handled' }),
    ).toBe(1);
    expect(
      sampleOf(text, 'deploybot_webhook_deliveries_total', { event: 'pull_request', outcome: 'retried' }),
    ).toBe(1);
    expect(sampleOf(text, 'deploybot_webhook_lag_seconds_sum', { event: 'pull_request' })).toBe(1.5);
    const route = { service: 'github', method: 'GET /repos/{owner}/{repo}' };
    expect(sampleOf(text, 'deploybot_api_calls_total', { ...route, outcome: '502' })).toBe(1);
    expect(sampleOf(text, 'deploybot_api_retries_total', route)).toBe(1);
    expect(
      sampleOf(text, 'deploybot_api_rate_limited_total', { service: 'slack', method: 'chat.update' }),
    ).toBe(1);
    expect(sampleOf(text, 'deploybot_api_retries_total', { service: 'slack', method: 'chat.update' })).toBe(
      1,
    );
    expect(
      sampleOf(text, 'deploybot_api_rate_limited_total', {
        service: 'github',
        method: 'POST /repos/{owner}/{repo}/deployments',
      }),
    ).toBe(1);
  });

  it('reads the queue and the locks from the store at scrape time', async () => {
    const { sources } = sourcesWith(
      [
        { state: 'running', enqueuedAt: NOW - 900_000 },
        { state: 'queued', enqueuedAt: NOW - 120_000 },
        { state: 'queued', enqueuedAt: NOW - 5_000 },
      ],
      [
        { repository: 'octo-org/web', environment: 'prod', holder: 'U1', lockedAt: NOW - 10 },
        {
          repository: 'octo-org/web',
          environment: 'stg',
          holder: 'U1',
          lockedAt: NOW - 10,
          expiresAt: NOW + 1,
        },
        { repository: 'octo-org/web', environment: 'dev', holder: 'U1', lockedAt: NOW - 10, expiresAt: NOW },
      ],
    );
    const text = await createPrometheusMetrics(sources).registry.metrics();
    expect(sampleOf(text, 'deploybot_deploy_queue_depth')).toBe(2);
    expect(sampleOf(text, 'deploybot_deploys_running')).toBe(1);
    expect(sampleOf(text, 'deploybot_deploy_queue_oldest_wait_seconds')).toBe(120);
    // The expired lock no longer holds.
    expect(sampleOf(text, 'deploybot_locks_held', { repository: 'octo-org/web' })).toBe(2);
    expect(sampleOf(text, 'deploybot_locks_held', { repository: 'octo-org/api' })).toBe(0);
    expect(sampleOf(text, 'deploybot_store_up')).toBe(1);
  });

  it('makes no numbers up, says so and warns when the store does not answer', async () => {
    const { sources, log } = sourcesWith([], [], true);
    const text = await createPrometheusMetrics(sources).registry.metrics();
    expect(sampleOf(text, 'deploybot_deploy_queue_depth')).toBeNaN();
    expect(sampleOf(text, 'deploybot_deploy_queue_oldest_wait_seconds')).toBeNaN();
    expect(sampleOf(text, 'deploybot_locks_held', { repository: 'octo-org/web' })).toBeUndefined();
    expect(sampleOf(text, 'deploybot_store_up')).toBe(0);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(log.messages('warn')).toContain(
      'metrics: the store did not answer; queue and lock gauges left out',
    );
  });

  it('keeps each app its own registry', async () => {
    const one = createPrometheusMetrics(sourcesWith([], []).sources);
    const two = createPrometheusMetrics(sourcesWith([], []).sources);
    one.port.webhookDelivery('push', 'ignored');
    const text = await two.registry.metrics();
    expect(
      sampleOf(text, 'deploybot_webhook_deliveries_total', { event: 'push', outcome: 'ignored' }),
    ).toBeUndefined();
  });
});

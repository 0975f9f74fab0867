import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { MetricsPort } from '../core/ports/metrics.js';
import { readScrapeGauges, type ScrapeSources } from './scrape-gauges.js';

export interface PrometheusMetrics {
  /** This app's own registry: several apps in one process (tests) never share series. */
  readonly registry: Registry;
  /** What the use cases and adapters tell. */
  readonly port: MetricsPort;
}

const DEPLOY_SECONDS = [5, 15, 30, 60, 120, 300, 600, 1_200, 1_800, 3_600];
const LAG_SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * deploybot's metrics in Prometheus' terms: counters and histograms fed through the port,
 * gauges of the queue and the locks read from the store when Prometheus scrapes.
 */
export function createPrometheusMetrics(sources: ScrapeSources): PrometheusMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const deployments = new Counter({
    name: 'deploybot_deployments_total',
    help: 'Deployments that ended, by repository, environment and final state',
    labelNames: ['repository', 'environment', 'state'] as const,
    registers,
  });
  const deployDuration = new Histogram({
    name: 'deploybot_deploy_duration_seconds',
    help: 'How long deploys ran, from start to end, by repository, environment and final state',
    labelNames: ['repository', 'environment', 'state'] as const,
    buckets: DEPLOY_SECONDS,
    registers,
  });
  const webhooks = new Counter({
    name: 'deploybot_webhook_deliveries_total',
    help: 'GitHub webhook deliveries by event and outcome (handled, retried, failed, ignored, duplicate, rejected)',
    labelNames: ['event', 'outcome'] as const,
    registers,
  });
  const webhookLag = new Histogram({
    name: 'deploybot_webhook_lag_seconds',
    help: 'From receipt of a webhook delivery to the end of its handling, by event',
    labelNames: ['event'] as const,
    buckets: LAG_SECONDS,
    registers,
  });
  const apiCalls = new Counter({
    name: 'deploybot_api_calls_total',
    help: 'Calls to Slack and GitHub by service, method (route template for GitHub) and outcome',
    labelNames: ['service', 'method', 'outcome'] as const,
    registers,
  });
  const apiRetries = new Counter({
    name: 'deploybot_api_retries_total',
    help: 'Calls to Slack and GitHub tried again, by service and method',
    labelNames: ['service', 'method'] as const,
    registers,
  });
  const rateLimited = new Counter({
    name: 'deploybot_api_rate_limited_total',
    help: 'Rate limit answers (429, GitHub secondary limits) from Slack and GitHub, by service and method',
    labelNames: ['service', 'method'] as const,
    registers,
  });
  registerScrapeGauges(registry, sources);

  const port: MetricsPort = {
    deployEnded({ repository, environment, state, durationMs }) {
      deployments.inc({ repository, environment, state });
      if (durationMs !== undefined)
        deployDuration.observe({ repository, environment, state }, durationMs / 1000);
    },
    webhookDelivery(event, outcome, lagMs) {
      webhooks.inc({ event, outcome });
      if (lagMs !== undefined) webhookLag.observe({ event }, Math.max(0, lagMs) / 1000);
    },
    apiCall({ service, method, outcome, retry }) {
      apiCalls.inc({ service, method, outcome });
      if (retry) apiRetries.inc({ service, method });
    },
    rateLimited(service, method, retried) {
      rateLimited.inc({ service, method });
      // The retry a 429 leads to is counted here: Slack's client does not show its attempts.
      if (retried && service === 'slack') apiRetries.inc({ service, method });
    },
  };
  return { registry, port };
}

function registerScrapeGauges(registry: Registry, sources: ScrapeSources): void {
  const registers = [registry];
  // One store read serves every gauge of a scrape. Without the store they read NaN, never a
  // made-up 0, and deploybot_store_up says why.
  let reading: Promise<Awaited<ReturnType<typeof readScrapeGauges>>> | undefined;
  const read = () => {
    reading ??= readScrapeGauges(sources).finally(() => {
      reading = undefined;
    });
    return reading;
  };
  new Gauge({
    name: 'deploybot_deploy_queue_depth',
    help: 'Deploy jobs waiting for their turn',
    registers,
    async collect() {
      this.reset();
      const gauges = await read();
      this.set(gauges ? gauges.waiting : Number.NaN);
    },
  });
  new Gauge({
    name: 'deploybot_deploys_running',
    help: 'Deploy jobs running now',
    registers,
    async collect() {
      this.reset();
      const gauges = await read();
      this.set(gauges ? gauges.running : Number.NaN);
    },
  });
  new Gauge({
    name: 'deploybot_deploy_queue_oldest_wait_seconds',
    help: 'How long the oldest waiting deploy job has waited (0 when none waits)',
    registers,
    async collect() {
      this.reset();
      const gauges = await read();
      this.set(gauges ? gauges.oldestWaitMs / 1000 : Number.NaN);
    },
  });
  new Gauge({
    name: 'deploybot_locks_held',
    help: 'Environments locked now, by repository',
    labelNames: ['repository'] as const,
    registers,
    async collect() {
      this.reset();
      const gauges = await read();
      for (const [repository, count] of gauges?.locksByRepository ?? []) this.set({ repository }, count);
    },
  });
  new Gauge({
    name: 'deploybot_store_up',
    help: '1 when the store answered this scrape, 0 when the gauges read from it are NaN or missing',
    registers,
    async collect() {
      this.set((await read()) ? 1 : 0);
    },
  });
}

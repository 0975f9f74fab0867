/**
 * Performance goals, measured against the loopback stand-ins (never in timed tests):
 * - a webhook is answered fast, whatever work it causes: p99 of the 2xx answer under 50 ms;
 * - announcing keeps up: 300 deployment statuses announced within 30 s.
 * Exits 1 when a goal is missed.
 */
import { buildDeploymentStatusPayload } from '../test/support/github-payloads.js';
import { startHarness } from '../test/support/harness.js';

const DELIVERIES = 300;
const GOALS = { ackP99Ms: 50, announceAllMs: 30_000 };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const h = await startHarness({ env: { LOG_LEVEL: 'warn' } });
  try {
    const latencies: number[] = [];
    const started = performance.now();
    for (let i = 0; i < DELIVERIES; i++) {
      const payload = buildDeploymentStatusPayload({
        repo: `octo-org/repo${i % 10}`,
        deployment: { id: 100_000 + i, ref: 'main', environment: 'production', creator: 'octocat' },
        status: { id: 500_000 + i, state: 'success' },
      });
      const t0 = performance.now();
      const response = await h.sendWebhook('deployment_status', payload);
      latencies.push(performance.now() - t0);
      if (response.status !== 200) throw new Error(`delivery ${i} answered ${response.status}`);
    }
    await h.slack.waitFor(
      () =>
        h.slack.calls.filter((c) => c.method === 'chat.postMessage').length >= DELIVERIES ? true : undefined,
      { timeoutMs: GOALS.announceAllMs },
    );
    const announceAllMs = performance.now() - started;
    latencies.sort((a, b) => a - b);
    const results = {
      deliveries: DELIVERIES,
      ackP50Ms: percentile(latencies, 50),
      ackP99Ms: percentile(latencies, 99),
      ackMaxMs: latencies.at(-1) ?? Number.NaN,
      announceAllMs,
    };
    console.log(JSON.stringify(results, null, 2));
    const missed = [];
    if (results.ackP99Ms > GOALS.ackP99Ms)
      missed.push(`ack p99 ${results.ackP99Ms.toFixed(1)} ms > ${GOALS.ackP99Ms} ms`);
    if (announceAllMs > GOALS.announceAllMs) missed.push(`announcing took ${announceAllMs.toFixed(0)} ms`);
    if (missed.length > 0) {
      console.error(`goals missed: ${missed.join('; ')}`);
      process.exitCode = 1;
    } else {
      console.log('all goals met');
    }
  } finally {
    await h.stop();
  }
}

await main();

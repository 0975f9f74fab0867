/**
 * Memory through a burst: deploybot (built, as `npm start` runs it) takes 20,000 signed
 * webhooks as fast as autocannon sends them, on one process or spread over several sharing one
 * PostgreSQL. RSS is sampled while they take them and work through the backlog, and for 60 s after
 * the last announcement; the goals are ≤ 200 MB throughout and within 20 % of idle at the end.
 */
import autocannon from 'autocannon';
import type { BenchRequest } from './requests.js';
import type { RunningServer } from './servers.js';

/** Every process's RSS at one moment, in MB, `atMs` after the burst began. */
export interface RssSample {
  readonly atMs: number;
  readonly rssMb: readonly number[];
}

export interface BurstResult {
  readonly deliveries: number;
  readonly processes: number;
  /** The largest of the processes' figures, for each. */
  readonly idleRssMb: number;
  readonly peakRssMb: number;
  readonly drainedAfterMs: number;
  readonly rssAfterQuietMb: number;
  readonly quietMs: number;
  readonly errors: number;
  /** One sample a second, through the burst and the quiet time after it. */
  readonly samples: readonly RssSample[];
  readonly goals: { readonly peakAtMost200Mb: boolean; readonly backWithin20PercentOfIdle: boolean };
}

export interface BurstOptions {
  readonly deliveries: number;
  readonly quietMs: number;
  /** How many deliveries have been announced so far, on Slack. */
  readonly drained: () => number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function sendBurst(bot: RunningServer, next: () => BenchRequest, amount: number, connections: number) {
  const first = next();
  return autocannon({
    url: bot.url,
    connections,
    amount,
    timeout: 30,
    requests: [
      {
        method: first.method,
        path: first.path,
        setupRequest: (request) => {
          const r = next();
          return { ...request, method: r.method, path: r.path, headers: r.headers, body: r.body };
        },
      },
    ],
  });
}

/** Sends the burst, split evenly over `bots` (already started, each on the same store), 20 connections in all. */
export async function measureBurst(
  bots: readonly RunningServer[],
  next: () => BenchRequest,
  options: BurstOptions,
): Promise<BurstResult> {
  await sleep(2_000);
  const rssNow = () => bots.map((bot) => bot.rssMb());
  const idleRssMb = Math.max(...rssNow());
  let peakRssMb = idleRssMb;
  const samples: RssSample[] = [];
  const started = performance.now();
  let lastSampleAt = Number.NEGATIVE_INFINITY;
  const sample = () => {
    const rss = rssNow();
    peakRssMb = Math.max(peakRssMb, ...rss);
    const atMs = performance.now() - started;
    if (atMs - lastSampleAt >= 1_000) {
      samples.push({ atMs: Math.round(atMs), rssMb: rss.map((mb) => Math.round(mb)) });
      lastSampleAt = atMs;
    }
  };
  const sampler = setInterval(sample, 250);
  try {
    const announcedBefore = options.drained();
    const share = Math.ceil(options.deliveries / bots.length);
    const connections = Math.max(1, Math.floor(20 / bots.length));
    const results = await Promise.all(bots.map((bot) => sendBurst(bot, next, share, connections)));
    // The backlog is worked through when every delivery has been announced.
    const deadline = performance.now() + 10 * 60_000;
    while (options.drained() - announcedBefore < share * bots.length && performance.now() < deadline) {
      await sleep(250);
    }
    const drainedAfterMs = performance.now() - started;
    sample();
    await sleep(options.quietMs);
    sample();
    const rssAfterQuietMb = Math.max(...rssNow());
    return {
      deliveries: share * bots.length,
      processes: bots.length,
      idleRssMb,
      peakRssMb,
      drainedAfterMs,
      rssAfterQuietMb,
      quietMs: options.quietMs,
      errors: results.reduce((sum, r) => sum + r.errors + r.timeouts + r.non2xx, 0),
      samples,
      goals: {
        peakAtMost200Mb: peakRssMb <= 200,
        backWithin20PercentOfIdle: rssAfterQuietMb <= idleRssMb * 1.2,
      },
    };
  } finally {
    clearInterval(sampler);
  }
}

export function describeBurst(burst: BurstResult): string {
  const where =
    burst.processes === 1 ? 'one process, SQLite' : `${burst.processes} processes, one PostgreSQL`;
  const goal = (met: boolean) => (met ? 'met' : 'MISSED');
  return (
    `Burst of ${burst.deliveries} webhooks (${where}): RSS ${burst.idleRssMb.toFixed(0)} MB idle, ` +
    `${burst.peakRssMb.toFixed(0)} MB at most (≤ 200 MB: ${goal(burst.goals.peakAtMost200Mb)}), ` +
    `${burst.rssAfterQuietMb.toFixed(0)} MB ${burst.quietMs / 1000} s after ` +
    `(within 20 % of idle: ${goal(burst.goals.backWithin20PercentOfIdle)}); ` +
    `all announced after ${(burst.drainedAfterMs / 1000).toFixed(1)} s; ${burst.errors} errors`
  );
}

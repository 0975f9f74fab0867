/**
 * Memory through a burst: deploybot (built, as `npm start` runs it) takes 20,000 signed
 * webhooks as fast as autocannon sends them; RSS is sampled while it takes them and works
 * through the backlog, and once more 60 s after the last announcement.
 */
import autocannon from 'autocannon';
import type { BenchWorld } from './deploybot-env.js';
import type { BenchRequest } from './requests.js';

export interface BurstResult {
  readonly deliveries: number;
  readonly idleRssMb: number;
  readonly peakRssMb: number;
  readonly drainedAfterMs: number;
  readonly rssAfterQuietMb: number;
  readonly quietMs: number;
  readonly errors: number;
}

export async function measureBurst(
  world: BenchWorld,
  next: () => BenchRequest,
  options: { readonly deliveries: number; readonly quietMs: number; readonly drained: () => number },
): Promise<BurstResult> {
  const bot = await world.startDeploybot('deploybot');
  try {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const idleRssMb = bot.rssMb();
    let peakRssMb = idleRssMb;
    const sampler = setInterval(() => {
      peakRssMb = Math.max(peakRssMb, bot.rssMb());
    }, 250);
    const announcedBefore = options.drained();
    const started = performance.now();
    const first = next();
    const result = await autocannon({
      url: bot.url,
      connections: 20,
      amount: options.deliveries,
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
    // The backlog is worked through when every delivery has been announced.
    const deadline = performance.now() + 10 * 60_000;
    while (options.drained() - announcedBefore < options.deliveries && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const drainedAfterMs = performance.now() - started;
    clearInterval(sampler);
    peakRssMb = Math.max(peakRssMb, bot.rssMb());
    await new Promise((resolve) => setTimeout(resolve, options.quietMs));
    return {
      deliveries: options.deliveries,
      idleRssMb,
      peakRssMb,
      drainedAfterMs,
      rssAfterQuietMb: bot.rssMb(),
      quietMs: options.quietMs,
      errors: result.errors + result.timeouts + result.non2xx,
    };
  } finally {
    await bot.stop();
  }
}

/** Each server in turn under the same load: a warm-up thrown away, then the measured run. */
import { type LoadResult, runLoad } from './load.js';
import type { BenchRequest } from './requests.js';
import type { RunningServer } from './servers.js';

export interface Contender {
  readonly name: string;
  /** The contender this one is compared with; none for an anchor itself. */
  readonly anchor?: string;
  readonly start: () => Promise<RunningServer>;
  readonly requests: () => () => BenchRequest;
}

export interface Measured extends LoadResult {
  readonly name: string;
  readonly anchor?: string;
  readonly round: number;
  readonly rssMb: number;
}

export interface LoadShape {
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly rounds: number;
}

export async function measureSideBySide(
  contenders: readonly Contender[],
  shape: LoadShape,
): Promise<Measured[]> {
  const results: Measured[] = [];
  for (let round = 1; round <= shape.rounds; round++) {
    for (const contender of contenders) {
      const server = await contender.start();
      try {
        const next = contender.requests();
        await runLoad({
          url: server.url,
          next,
          connections: shape.connections,
          seconds: shape.warmupSeconds,
        });
        const result = await runLoad({
          url: server.url,
          next,
          connections: shape.connections,
          seconds: shape.seconds,
        });
        results.push({
          ...result,
          name: contender.name,
          ...(contender.anchor === undefined ? {} : { anchor: contender.anchor }),
          round,
          rssMb: server.rssMb(),
        });
        process.stderr.write(
          `  round ${round} ${contender.name}: ${result.requestsPerSecond.toFixed(0)} req/s, p99 ${result.p99Ms} ms, ${result.errors} errors\n`,
        );
      } finally {
        await server.stop();
      }
    }
  }
  return results;
}

export interface Summary {
  readonly name: string;
  readonly anchor?: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly rssMb: number;
  /** This one's req/s over its anchor's, and p99 over its anchor's. */
  readonly throughputRatio?: number;
  readonly p99Ratio?: number;
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** The rounds of each contender averaged, with ratios to its anchor. */
export function summarize(results: readonly Measured[]): Summary[] {
  const names = [...new Set(results.map((r) => r.name))];
  const base = names.map((name) => {
    const rounds = results.filter((r) => r.name === name);
    const anchor = rounds[0]?.anchor;
    return {
      name,
      ...(anchor === undefined ? {} : { anchor }),
      requestsPerSecond: mean(rounds.map((r) => r.requestsPerSecond)),
      p50Ms: mean(rounds.map((r) => r.p50Ms)),
      p99Ms: mean(rounds.map((r) => r.p99Ms)),
      errors: rounds.reduce((sum, r) => sum + r.errors, 0),
      rssMb: Math.max(...rounds.map((r) => r.rssMb)),
    };
  });
  return base.map((row) => {
    const anchor = base.find((b) => b.name === row.anchor);
    return anchor
      ? {
          ...row,
          throughputRatio: row.requestsPerSecond / anchor.requestsPerSecond,
          p99Ratio: row.p99Ms / anchor.p99Ms,
        }
      : row;
  });
}

export function formatTable(rows: readonly Summary[]): string {
  const header = '| server | req/s | p50 ms | p99 ms | errors | RSS MB | vs anchor (req/s, p99) |';
  const line = '|---|---:|---:|---:|---:|---:|---|';
  const body = rows.map((r) => {
    const ratio =
      r.throughputRatio === undefined
        ? 'anchor'
        : `${r.throughputRatio.toFixed(2)}× ${r.anchor}, p99 ${r.p99Ratio?.toFixed(2)}×`;
    return `| ${r.name} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${r.errors} | ${r.rssMb.toFixed(0)} | ${ratio} |`;
  });
  return [header, line, ...body].join('\n');
}

import { existsSync, readFileSync } from 'node:fs';

/** A line record-run.mjs appended: a deploy script starting or ending. */
export interface RunRecord {
  readonly event: 'start' | 'end';
  readonly deployment: number;
  readonly lane: string;
  /** The script's own pid. */
  readonly pid: number;
  /** The deploybot process that started it. */
  readonly bot: number;
  readonly at: number;
}

/** One run of the deploy script, from its start to its end (Infinity when it never ended). */
export interface Run {
  readonly deployment: number;
  readonly lane: string;
  readonly bot: number;
  readonly startedAt: number;
  readonly endedAt: number;
}

export function readRunRecords(path: string): RunRecord[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as RunRecord);
}

/** Pairs each start with its script's end, by the script's pid. */
export function pairRuns(records: readonly RunRecord[]): Run[] {
  const ends = new Map(records.filter((r) => r.event === 'end').map((r) => [r.pid, r.at]));
  return records
    .filter((r) => r.event === 'start')
    .map((r) => ({
      deployment: r.deployment,
      lane: r.lane,
      bot: r.bot,
      startedAt: r.at,
      endedAt: ends.get(r.pid) ?? Number.POSITIVE_INFINITY,
    }));
}

/** Deployments whose script started more than once, with how many times. */
export function findRepeatedRuns(runs: readonly Run[]): string[] {
  const counts = new Map<number, number>();
  for (const run of runs) counts.set(run.deployment, (counts.get(run.deployment) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([id, n]) => `deployment ${id} ran ${n} times`);
}

/** Pairs of runs in one lane whose intervals overlap, described. */
export function findOverlaps(runs: readonly Run[]): string[] {
  const byLane = new Map<string, Run[]>();
  for (const run of runs) byLane.set(run.lane, [...(byLane.get(run.lane) ?? []), run]);
  const overlaps: string[] = [];
  for (const [lane, laneRuns] of byLane) {
    const sorted = [...laneRuns].sort((a, b) => a.startedAt - b.startedAt);
    for (let i = 1; i < sorted.length; i++) {
      const previous = sorted[i - 1] as Run;
      const current = sorted[i] as Run;
      if (current.startedAt < previous.endedAt) {
        overlaps.push(
          `${lane}: deployment ${current.deployment} (bot ${current.bot}) started at ${current.startedAt}, ` +
            `before deployment ${previous.deployment} (bot ${previous.bot}) ended at ${previous.endedAt}`,
        );
      }
    }
  }
  return overlaps;
}

/** How long lanes sat idle between one run's end and the next one's start, in ms: median and longest. */
export function describeLaneGaps(runs: readonly Run[]): { medianMs: number; maxMs: number } {
  const byLane = new Map<string, Run[]>();
  for (const run of runs) byLane.set(run.lane, [...(byLane.get(run.lane) ?? []), run]);
  const gaps: number[] = [];
  for (const laneRuns of byLane.values()) {
    const sorted = [...laneRuns].sort((a, b) => a.startedAt - b.startedAt);
    for (let i = 1; i < sorted.length; i++) {
      const gap = (sorted[i] as Run).startedAt - (sorted[i - 1] as Run).endedAt;
      if (Number.isFinite(gap)) gaps.push(gap);
    }
  }
  gaps.sort((a, b) => a - b);
  return { medianMs: gaps[Math.floor(gaps.length / 2)] ?? 0, maxMs: gaps.at(-1) ?? 0 };
}

import { describe, expect, it } from 'vitest';
import { findOverlaps, findRepeatedRuns, pairRuns, type RunRecord } from './run-records.js';

const record = (
  event: 'start' | 'end',
  deployment: number,
  lane: string,
  pid: number,
  at: number,
): RunRecord => ({
  event,
  deployment,
  lane,
  pid,
  bot: 1,
  at,
});

describe('the multi-process test reading its run records', () => {
  it('pairs starts with ends by the script pid; a run that never ended lasts forever', () => {
    const runs = pairRuns([
      record('start', 1, 'a', 10, 100),
      record('start', 2, 'a', 11, 300),
      record('end', 1, 'a', 10, 200),
    ]);
    expect(runs.map((r) => [r.deployment, r.startedAt, r.endedAt])).toEqual([
      [1, 100, 200],
      [2, 300, Number.POSITIVE_INFINITY],
    ]);
  });

  it.each([
    [
      'back to back in a lane',
      [
        [1, 'a', 100, 200],
        [2, 'a', 200, 300],
      ],
      0,
    ],
    [
      'overlapping in a lane',
      [
        [1, 'a', 100, 200],
        [2, 'a', 150, 300],
      ],
      1,
    ],
    [
      'overlapping in different lanes',
      [
        [1, 'a', 100, 200],
        [2, 'b', 150, 300],
      ],
      0,
    ],
    [
      'after a run that never ended',
      [
        [1, 'a', 100, Number.POSITIVE_INFINITY],
        [2, 'a', 500, 600],
      ],
      1,
    ],
  ] as const)('finds overlaps: %s', (_, spans, expected) => {
    const runs = spans.map(([deployment, lane, startedAt, endedAt]) => ({
      deployment,
      lane,
      bot: 1,
      startedAt,
      endedAt,
    }));
    expect(findOverlaps(runs)).toHaveLength(expected);
  });

  it('finds a deployment that ran twice', () => {
    const run = { lane: 'a', bot: 1, startedAt: 0, endedAt: 1 };
    expect(
      findRepeatedRuns([
        { ...run, deployment: 1 },
        { ...run, deployment: 2 },
        { ...run, deployment: 1 },
      ]),
    ).toEqual(['deployment 1 ran 2 times']);
  });
});

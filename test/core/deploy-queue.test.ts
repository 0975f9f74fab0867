import { describe, expect, it } from 'vitest';
import {
  describeDeploying,
  describeWait,
  laneOf,
  planQueue,
  type QueueEntry,
  type QueuePlan,
} from '../../src/core/deploy-queue.js';

const q = (id: number, lane: string): QueueEntry => ({ id, lane, state: 'queued' });
const r = (id: number, lane: string): QueueEntry => ({ id, lane, state: 'running' });
const l = (id: number, lane: string): QueueEntry => ({ id, lane, state: 'queued', lockedIn: 'staging' });

describe('planQueue', () => {
  it.each<[string, QueueEntry[], number, QueuePlan]>([
    ['nothing waits', [], 4, { start: [], wait: [] }],
    [
      'the oldest of a lane starts',
      [q(1, 'a'), q(2, 'a')],
      4,
      { start: [1], wait: [{ id: 2, reason: { kind: 'lane_busy', runningId: 1 } }] },
    ],
    [
      'a running lane holds every waiting one of it',
      [r(1, 'a'), q(2, 'a'), q(3, 'a')],
      4,
      {
        start: [],
        wait: [
          { id: 2, reason: { kind: 'lane_busy', runningId: 1 } },
          { id: 3, reason: { kind: 'lane_busy', runningId: 1 } },
        ],
      },
    ],
    ['lanes run side by side', [r(1, 'a'), q(2, 'b'), q(3, 'c')], 4, { start: [2, 3], wait: [] }],
    [
      'the limit counts running ones and holds the rest in order',
      [r(1, 'a'), q(2, 'b'), q(3, 'c'), q(4, 'd')],
      2,
      {
        start: [2],
        wait: [
          { id: 3, reason: { kind: 'no_slot', limit: 2 } },
          { id: 4, reason: { kind: 'no_slot', limit: 2 } },
        ],
      },
    ],
    [
      'a later one never overtakes the waiting head of its lane',
      [r(1, 'a'), q(2, 'b'), q(3, 'b')],
      1,
      {
        start: [],
        wait: [
          { id: 2, reason: { kind: 'no_slot', limit: 1 } },
          { id: 3, reason: { kind: 'behind', aheadId: 2 } },
        ],
      },
    ],
    [
      'running entries count wherever they appear in the list',
      [q(2, 'a'), q(3, 'b'), r(1, 'a')],
      2,
      { start: [3], wait: [{ id: 2, reason: { kind: 'lane_busy', runningId: 1 } }] },
    ],
    [
      'a locked lane waits, and holds its later ones back; other lanes go',
      [l(1, 'a'), q(2, 'a'), q(3, 'b')],
      4,
      {
        start: [3],
        wait: [
          { id: 1, reason: { kind: 'locked', environment: 'staging' } },
          { id: 2, reason: { kind: 'behind', aheadId: 1 } },
        ],
      },
    ],
    [
      'a locked job behind a running one waits for it first',
      [r(1, 'a'), l(2, 'a')],
      4,
      { start: [], wait: [{ id: 2, reason: { kind: 'lane_busy', runningId: 1 } }] },
    ],
  ])('%s', (_name, entries, limit, plan) => {
    expect(planQueue(entries, limit)).toEqual(plan);
  });
});

describe('describeWait', () => {
  it.each([
    [{ kind: 'lane_busy', runningId: 1001 } as const, 'waiting for deployment 1001 to finish'],
    [{ kind: 'behind', aheadId: 1002 } as const, 'waiting behind deployment 1002'],
    [{ kind: 'no_slot', limit: 1 } as const, 'waiting for a free slot (1 deploy running)'],
    [{ kind: 'no_slot', limit: 4 } as const, 'waiting for a free slot (4 deploys running)'],
    [{ kind: 'locked', environment: 'staging' } as const, 'waiting for the lock on staging to be released'],
  ])('%j → %s', (reason, text) => {
    expect(describeWait(reason)).toBe(text);
  });

  it('names lanes regardless of case', () => {
    expect(laneOf('Octo-Org/Web', 'Staging')).toBe(laneOf('octo-org/web', 'staging'));
    expect(laneOf('octo-org/web', 'staging')).not.toBe(laneOf('octo-org/web', 'production'));
  });
});

describe('describeDeploying', () => {
  it('names the short sha and the environment', () => {
    expect(describeDeploying('0123456789abcdef0123456789abcdef01234567', 'staging')).toBe(
      'deploying 0123456 to staging',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { isSettledStatus, type KnownStatus, mergeKnownStatus } from '../../src/core/known-status.js';

const s = (statusId: number, fields: Partial<KnownStatus> = {}): KnownStatus => ({
  deploymentId: 1,
  repository: 'octo-org/web',
  statusId,
  state: 'success',
  createdAt: statusId,
  ...fields,
});

describe('mergeKnownStatus', () => {
  it.each([
    ['nothing known yet', undefined, s(5), s(5)],
    ['a newer status wins', s(5, { state: 'in_progress' }), s(6), s(6)],
    ['an older one arriving late loses', s(6), s(5, { state: 'in_progress' }), s(6)],
    [
      'a newer one without a log keeps the log',
      s(5, { logUrl: 'L' }),
      s(6, { state: 'inactive' }),
      s(6, { state: 'inactive', logUrl: 'L' }),
    ],
    ['a newer log replaces the older', s(5, { logUrl: 'L' }), s(6, { logUrl: 'M' }), s(6, { logUrl: 'M' })],
    [
      'a late older one lends its log',
      s(6, { state: 'inactive' }),
      s(5, { logUrl: 'L' }),
      s(6, { state: 'inactive', logUrl: 'L' }),
    ],
  ] as const)('%s', (_name, known, next, expected) => {
    expect(mergeKnownStatus(known, next)).toEqual(expected);
  });
});

describe('isSettledStatus', () => {
  it.each([
    ['unknown', undefined, false],
    ['success', s(1), true],
    ['failure', s(1, { state: 'failure' }), true],
    ['inactive', s(1, { state: 'inactive' }), true],
    ['in progress', s(1, { state: 'in_progress' }), false],
    ['queued', s(1, { state: 'queued' }), false],
  ] as const)('%s', (_name, known, expected) => {
    expect(isSettledStatus(known)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { findHoldingLock } from '../../src/core/deploy-lock-wait.js';
import { createLock, type Lock } from '../../src/core/lock.js';

const NOW = 1_000_000;
const lockedBy = (holder: string, at: number, durationMs?: number): Lock =>
  createLock({
    repository: 'octo-org/web',
    environment: 'staging',
    holder,
    now: at,
    ...(durationMs === undefined ? {} : { durationMs }),
  });
const asked = (user?: string) => ({
  notify: { adapter: 'slack', channel: 'C0WEB', ...(user ? { user } : {}) },
});

describe('findHoldingLock: whether a job not started waits for a lock', () => {
  it.each<[string, Lock | undefined, { enqueuedAt: number; payload: unknown }, boolean]>([
    ['no lock', undefined, { enqueuedAt: NOW - 10, payload: asked('U0ALICE') }, false],
    [
      'locked by someone else after it came in',
      lockedBy('U0BOB', NOW - 5),
      { enqueuedAt: NOW - 10, payload: asked('U0ALICE') },
      true,
    ],
    [
      'locked at the very time it came in',
      lockedBy('U0BOB', NOW - 10),
      { enqueuedAt: NOW - 10, payload: {} },
      true,
    ],
    [
      'locked after it came in, by who asked for it',
      lockedBy('U0ALICE', NOW - 5),
      { enqueuedAt: NOW - 10, payload: asked('U0ALICE') },
      false,
    ],
    [
      'locked before it came in: weighed when it was created',
      lockedBy('U0BOB', NOW - 20),
      { enqueuedAt: NOW - 10, payload: asked('U0ALICE') },
      false,
    ],
    [
      'a lock that expired',
      lockedBy('U0BOB', NOW - 5, 5),
      { enqueuedAt: NOW - 10, payload: asked('U0ALICE') },
      false,
    ],
    [
      'a lock that has not expired yet',
      lockedBy('U0BOB', NOW - 5, 60_000),
      { enqueuedAt: NOW - 10, payload: {} },
      true,
    ],
    [
      'a payload that is no object',
      lockedBy('U0BOB', NOW - 5),
      { enqueuedAt: NOW - 10, payload: 'hubot' },
      true,
    ],
  ])('%s → %s', (_what, lock, job, holds) => {
    expect(findHoldingLock(job, lock, NOW) !== undefined).toBe(holds);
  });
});

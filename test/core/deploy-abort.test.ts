import { describe, expect, it } from 'vitest';
import { type AbortReason, describeAbort, outcomeOfAbort } from '../../src/core/deploy-abort.js';
import type { DeployOutcome } from '../../src/core/deploy-outcome.js';

describe('a deploy stopped before it ended', () => {
  it.each<[AbortReason | undefined, string, DeployOutcome]>([
    [
      { kind: 'timeout', seconds: 5 },
      'the deploy took longer than its timeout of 5s; stopping it',
      { kind: 'timed_out', seconds: 5 },
    ],
    [
      { kind: 'cancelled', by: '@bob' },
      'cancelled by @bob; stopping the deploy',
      { kind: 'cancelled', by: '@bob' },
    ],
    [{ kind: 'stopping' }, 'deploybot is stopping; stopping the deploy', { kind: 'stopped' }],
    [undefined, 'deploybot is stopping; stopping the deploy', { kind: 'stopped' }],
  ])('%j: the log says %j, and it ends %j', (reason, note, outcome) => {
    expect(describeAbort(reason)).toBe(note);
    expect(outcomeOfAbort(reason)).toEqual(outcome);
  });
});

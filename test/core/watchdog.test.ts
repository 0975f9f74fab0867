import { describe, expect, it } from 'vitest';
import {
  decideCiReminder,
  decideStuck,
  describeSilence,
  type WatchDecision,
} from '../../src/core/watchdog.js';

const MIN = 60_000;

describe('decideStuck', () => {
  it.each<[string, Parameters<typeof decideStuck>[0], WatchDecision]>([
    [
      'quiet for less than stuck_after',
      { state: 'pending', lastStatusAt: 0, stuckAfterMs: 30 * MIN, warned: false, now: 29 * MIN },
      { kind: 'wait', checkAt: 30 * MIN },
    ],
    [
      'quiet for exactly stuck_after',
      { state: 'in_progress', lastStatusAt: 0, stuckAfterMs: 30 * MIN, warned: false, now: 30 * MIN },
      { kind: 'warn', silentForMs: 30 * MIN },
    ],
    [
      'queued counts too',
      { state: 'queued', lastStatusAt: 5 * MIN, stuckAfterMs: 30 * MIN, warned: false, now: 50 * MIN },
      { kind: 'warn', silentForMs: 45 * MIN },
    ],
    [
      'said once already',
      { state: 'pending', lastStatusAt: 0, stuckAfterMs: 30 * MIN, warned: true, now: 90 * MIN },
      { kind: 'done' },
    ],
    [
      'finished',
      { state: 'success', lastStatusAt: 0, stuckAfterMs: 30 * MIN, warned: false, now: 90 * MIN },
      { kind: 'done' },
    ],
    [
      'stuck_after: off',
      { state: 'pending', lastStatusAt: 0, stuckAfterMs: undefined, warned: false, now: 90 * MIN },
      { kind: 'done' },
    ],
  ])('%s', (_what, input, expected) => {
    expect(decideStuck(input)).toEqual(expected);
  });
});

describe('decideCiReminder', () => {
  it.each<[string, Parameters<typeof decideCiReminder>[0], WatchDecision]>([
    [
      'within the hour',
      { waitingSince: 0, reminded: false, now: 59 * MIN },
      { kind: 'wait', checkAt: 60 * MIN },
    ],
    [
      'after an hour',
      { waitingSince: 0, reminded: false, now: 61 * MIN },
      { kind: 'warn', silentForMs: 61 * MIN },
    ],
    ['reminded already', { waitingSince: 0, reminded: true, now: 200 * MIN }, { kind: 'done' }],
  ])('%s', (_what, input, expected) => {
    expect(decideCiReminder(input)).toEqual(expected);
  });
});

describe('describeSilence', () => {
  it('says how long, mentions who deployed and links the log', () => {
    expect(
      describeSilence({
        state: 'in_progress',
        silentForMs: 45 * MIN,
        deployerMention: '<@U0ALICE>',
        logLink: '<https://bot/deploys/1/t|Log>',
      }),
    ).toBe(
      ':zzz: Still `in_progress` with no new status for 45m: is it stuck? <@U0ALICE> · <https://bot/deploys/1/t|Log>',
    );
    expect(
      describeSilence({
        state: 'queued',
        silentForMs: 2 * 60 * MIN,
        deployerMention: undefined,
        logLink: undefined,
      }),
    ).toBe(':zzz: Still `queued` with no new status for 2h: is it stuck?');
  });
});

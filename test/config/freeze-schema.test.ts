import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config-file.js';
import { type Problem, problemsOf } from '../../src/config/format-problems.js';
import type { EnvironmentConfig } from '../../src/core/config.js';
import { isDeploybotError } from '../../src/core/errors.js';
import { configWith, type Raw } from '../support/config-patch.js';

function stagingWith(staging: Raw): EnvironmentConfig | undefined {
  return parseConfig(configWith({ staging }), 'deploybot.yml').repos[0]?.environments[0];
}

function problemsWith(staging: Raw): Array<Pick<Problem, 'where' | 'message'>> {
  try {
    parseConfig(configWith({ staging }), 'deploybot.yml');
  } catch (error) {
    if (isDeploybotError(error) && error.code === 'config_invalid') {
      return problemsOf(error).map(({ where, message }) => ({ where, message }));
    }
    throw error;
  }
  throw new Error('expected a config_invalid error');
}

const at = 'repos."octo-org/web".environments.staging';

describe('freeze windows in deploybot.yml', () => {
  it('reads both forms of the issue example', () => {
    const staging = stagingWith({
      freeze: [
        { cron: '0 17 * * FRI', duration: '63h', timezone: 'Europe/Berlin', reason: 'weekend' },
        { from: '2026-12-23T00:00:00Z', to: '2027-01-04T08:00:00Z', reason: 'holidays' },
      ],
    });
    expect(staging?.freeze).toEqual([
      {
        kind: 'cron',
        cron: '0 17 * * FRI',
        durationMs: 63 * 3_600_000,
        timezone: 'Europe/Berlin',
        reason: 'weekend',
      },
      {
        kind: 'fixed',
        from: Date.parse('2026-12-23T00:00:00Z'),
        to: Date.parse('2027-01-04T08:00:00Z'),
        reason: 'holidays',
      },
    ]);
  });

  it('defaults a recurring window to UTC and needs no reason', () => {
    expect(stagingWith({ freeze: [{ cron: '0 0 * * SAT', duration: '2d' }] })?.freeze).toEqual([
      { kind: 'cron', cron: '0 0 * * SAT', durationMs: 2 * 86_400_000, timezone: 'UTC' },
    ]);
  });

  it('has no freeze and a 30-minute stuck_after by default', () => {
    const staging = stagingWith({});
    expect(staging?.freeze).toEqual([]);
    expect(staging?.stuckAfterMs).toBe(30 * 60_000);
  });

  it.each<[string, Raw, Array<Pick<Problem, 'where' | 'message'>>]>([
    [
      'a cron expression that cannot be read',
      { freeze: [{ cron: '0 17 * * FRX', duration: '1h' }] },
      [
        {
          where: `${at}.freeze[0].cron`,
          message: '"0 17 * * FRX" is not a cron expression deploybot can read',
        },
      ],
    ],
    [
      'a cron expression with seconds',
      { freeze: [{ cron: '0 0 17 * * FRI', duration: '1h' }] },
      [
        {
          where: `${at}.freeze[0].cron`,
          message: '"0 0 17 * * FRI" is not a cron expression deploybot can read',
        },
      ],
    ],
    [
      'an unknown time zone',
      { freeze: [{ cron: '0 17 * * FRI', duration: '1h', timezone: 'Mars/Olympus' }] },
      [{ where: `${at}.freeze[0].timezone`, message: '"Mars/Olympus" is not a time zone' }],
    ],
    [
      'a duration that cannot be read',
      { freeze: [{ cron: '0 17 * * FRI', duration: 'all weekend' }] },
      [
        {
          where: `${at}.freeze[0].duration`,
          message: '"all weekend" is not a duration I understand; try 30m, 2h, 1d or 1h30m',
        },
      ],
    ],
    [
      'a recurring window without a duration',
      { freeze: [{ cron: '0 17 * * FRI' }] },
      [{ where: `${at}.freeze[0].duration`, message: 'is required' }],
    ],
    [
      'a fixed window without an offset',
      { freeze: [{ from: '2026-12-23T00:00:00', to: '2027-01-04T08:00:00Z' }] },
      [
        {
          where: `${at}.freeze[0].from`,
          message: '"2026-12-23T00:00:00" is not a date and time with an offset',
        },
      ],
    ],
    [
      'a fixed window that ends before it starts',
      { freeze: [{ from: '2027-01-04T08:00:00Z', to: '2026-12-23T00:00:00Z' }] },
      [{ where: `${at}.freeze[0].to`, message: 'must be after from' }],
    ],
    [
      'a window that mixes both forms',
      { freeze: [{ cron: '0 17 * * FRI', duration: '1h', to: '2027-01-04T08:00:00Z' }] },
      [{ where: `${at}.freeze[0]`, message: 'mixes a recurring freeze (cron) with a fixed one (from, to)' }],
    ],
    [
      'an empty window',
      { freeze: [{ reason: 'why not' }] },
      [{ where: `${at}.freeze[0]`, message: 'needs either cron and duration, or from and to' }],
    ],
    [
      'a key no window has',
      { freeze: [{ cron: '0 17 * * FRI', duration: '1h', zone: 'UTC' }] },
      [{ where: `${at}.freeze[0].zone`, message: 'is not a known key' }],
    ],
    [
      'a stuck_after that is not a duration',
      { stuck_after: 'soon' },
      [{ where: `${at}.stuck_after`, message: '"soon" is neither a duration such as 30m or 2h, nor off' }],
    ],
  ])('names the path of %s', (_what, staging, expected) => {
    expect(problemsWith(staging)).toEqual(expected);
  });

  it('reads stuck_after as a duration, or off', () => {
    expect(stagingWith({ stuck_after: '2h' })?.stuckAfterMs).toBe(2 * 3_600_000);
    expect(stagingWith({ stuck_after: 'off' })).not.toHaveProperty('stuckAfterMs');
  });
});

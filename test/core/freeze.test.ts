import { describe, expect, it } from 'vitest';
import { type FreezeWindow, nextFreezeChange, openFreeze, upcomingFreezes } from '../../src/core/freeze.js';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const weekend: FreezeWindow = {
  kind: 'cron',
  cron: '0 17 * * FRI',
  durationMs: 63 * HOUR,
  timezone: 'Europe/Berlin',
  reason: 'weekend',
};
const holidays: FreezeWindow = {
  kind: 'fixed',
  from: at('2026-12-23T00:00:00Z'),
  to: at('2027-01-04T08:00:00Z'),
  reason: 'holidays',
};

describe('openFreeze', () => {
  it.each<
    [string, readonly FreezeWindow[], string, { start: string; end: string; reason: string } | undefined]
  >([
    ['before the weekend starts (Friday 16:59 in Berlin)', [weekend], '2026-12-04T15:59:59Z', undefined],
    [
      'the minute it starts (Friday 17:00 in Berlin is 16:00 UTC in winter)',
      [weekend],
      '2026-12-04T16:00:00Z',
      { start: '2026-12-04T16:00:00Z', end: '2026-12-07T07:00:00Z', reason: 'weekend' },
    ],
    [
      'on Sunday',
      [weekend],
      '2026-12-06T12:00:00Z',
      { start: '2026-12-04T16:00:00Z', end: '2026-12-07T07:00:00Z', reason: 'weekend' },
    ],
    ['the moment it ends (Monday 08:00 in Berlin)', [weekend], '2026-12-07T07:00:00Z', undefined],
    [
      'in summer time the start follows Berlin (15:00 UTC)',
      [weekend],
      '2026-07-03T15:00:00Z',
      { start: '2026-07-03T15:00:00Z', end: '2026-07-06T06:00:00Z', reason: 'weekend' },
    ],
    ['before a fixed window', [holidays], '2026-12-22T23:59:59Z', undefined],
    [
      'inside a fixed window',
      [holidays],
      '2026-12-25T12:00:00Z',
      { start: '2026-12-23T00:00:00Z', end: '2027-01-04T08:00:00Z', reason: 'holidays' },
    ],
    ['at the end of a fixed window', [holidays], '2027-01-04T08:00:00Z', undefined],
    [
      'a weekend that runs into the holidays chains with them',
      [weekend, { ...holidays, from: at('2026-12-21T06:00:00Z') }],
      '2026-12-19T12:00:00Z',
      { start: '2026-12-18T16:00:00Z', end: '2027-01-04T08:00:00Z', reason: 'weekend' },
    ],
    [
      'holidays that end inside a weekend chain into it',
      [weekend, { ...holidays, to: at('2027-01-08T20:00:00Z') }],
      '2027-01-07T12:00:00Z',
      { start: '2026-12-23T00:00:00Z', end: '2027-01-11T07:00:00Z', reason: 'holidays' },
    ],
    [
      'a weekend followed by holidays two days later does not chain',
      [weekend, holidays],
      '2026-12-19T12:00:00Z',
      { start: '2026-12-18T16:00:00Z', end: '2026-12-21T07:00:00Z', reason: 'weekend' },
    ],
    ['no windows', [], '2026-12-25T12:00:00Z', undefined],
  ])('%s', (_what, windows, now, expected) => {
    const open = openFreeze(windows, at(now));
    const iso = (t: number) => new Date(t).toISOString();
    expect(open && { start: iso(open.start), end: iso(open.end), reason: open.reason }).toEqual(
      expected && { start: iso(at(expected.start)), end: iso(at(expected.end)), reason: expected.reason },
    );
  });
});

describe('upcomingFreezes', () => {
  it('lists the next freezes within the horizon, soonest first', () => {
    const found = upcomingFreezes([weekend, holidays], at('2026-12-01T00:00:00Z'), 30 * 24 * HOUR, 3);
    expect(found.map((p) => [new Date(p.start).toISOString(), p.reason])).toEqual([
      ['2026-12-04T16:00:00.000Z', 'weekend'],
      ['2026-12-11T16:00:00.000Z', 'weekend'],
      ['2026-12-18T16:00:00.000Z', 'weekend'],
    ]);
  });

  it('leaves out what starts after the horizon', () => {
    expect(upcomingFreezes([holidays], at('2026-12-01T00:00:00Z'), 7 * 24 * HOUR, 5)).toEqual([]);
  });
});

describe('nextFreezeChange', () => {
  it.each([
    ['while open: when it thaws', [weekend], '2026-12-05T00:00:00Z', '2026-12-07T07:00:00.000Z'],
    ['while not: when the next freeze starts', [weekend], '2026-12-01T00:00:00Z', '2026-12-04T16:00:00.000Z'],
    ['after the last fixed window: never', [holidays], '2027-02-01T00:00:00Z', undefined],
  ] as const)('%s', (_what, windows, now, expected) => {
    const change = nextFreezeChange(windows, at(now));
    expect(change === undefined ? undefined : new Date(change).toISOString()).toBe(expected);
  });
});

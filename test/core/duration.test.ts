import { describe, expect, it } from 'vitest';
import {
  checkDuration,
  DAY_MS,
  formatAgo,
  formatDurationClock,
  formatDurationShort,
  formatDurationWords,
  HOUR_MS,
  MINUTE_MS,
  parseDuration,
} from '../../src/core/duration.js';

describe('parseDuration', () => {
  it.each<[string, number | undefined]>([
    ['30m', 30 * MINUTE_MS],
    ['2h', 2 * HOUR_MS],
    ['1d', DAY_MS],
    ['1w', 7 * DAY_MS],
    ['90 minutes', 90 * MINUTE_MS],
    ['1 minute', MINUTE_MS],
    ['5 mins', 5 * MINUTE_MS],
    ['1 hour', HOUR_MS],
    ['3 hrs', 3 * HOUR_MS],
    ['2 days', 2 * DAY_MS],
    ['2 weeks', 14 * DAY_MS],
    ['1h30m', 90 * MINUTE_MS],
    ['1h 30m', 90 * MINUTE_MS],
    ['1d2h', 26 * HOUR_MS],
    ['1 hour 30 minutes', 90 * MINUTE_MS],
    ['1 hour and 30 minutes', 90 * MINUTE_MS],
    ['1 day, 2 hours', 26 * HOUR_MS],
    ['1.5h', 90 * MINUTE_MS],
    ['an hour', HOUR_MS],
    ['a day', DAY_MS],
    ['2H', 2 * HOUR_MS],
    ['  45M  ', 45 * MINUTE_MS],
    ['30d', 30 * DAY_MS],
    // refused: bounds
    ['31d', undefined],
    ['5w', undefined],
    ['0m', undefined],
    ['30s', undefined],
    // refused: not durations
    ['', undefined],
    ['ever', undefined],
    ['2', undefined],
    ['h', undefined],
    ['2 fortnights', undefined],
    ['30m1h', undefined],
    ['1h1h', undefined],
    ['1h and', undefined],
    ['1h,', undefined],
    ['-2h', undefined],
    ['am', undefined],
    ['a m', undefined],
    ['2h; reboot', undefined],
    [`${'1'.repeat(100)}h`, undefined],
  ])('%j → %s', (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });

  it.each<[string, string]>([
    ['ever', 'unreadable'],
    ['31 days', 'too_long'],
    ['0 minutes', 'too_short'],
  ])('checkDuration(%j) is %s', (input, problem) => {
    expect(checkDuration(input)).toMatchObject({ ok: false, error: { problem } });
  });
});

describe('formatDurationShort', () => {
  it.each<[number, string]>([
    [0, '0s'],
    [45_000, '45s'],
    [MINUTE_MS, '1m'],
    [5 * MINUTE_MS + 59_000, '5m'],
    [HOUR_MS, '1h'],
    [90 * MINUTE_MS, '1h 30m'],
    [DAY_MS, '1d'],
    [DAY_MS + 4 * HOUR_MS + 5 * MINUTE_MS, '1d 4h'],
    [DAY_MS + 5 * MINUTE_MS, '1d'],
    [30 * DAY_MS, '30d'],
    [-5, '0s'],
  ])('%d → %j', (ms, expected) => {
    expect(formatDurationShort(ms)).toBe(expected);
  });
});

describe('formatAgo', () => {
  const now = 1_700_000_000_000;
  it.each<[number, string]>([
    [0, 'just now'],
    [59_000, 'just now'],
    [-5_000, 'just now'],
    [MINUTE_MS, '1m ago'],
    [59 * MINUTE_MS, '59m ago'],
    [3 * HOUR_MS + 20 * MINUTE_MS, '3h ago'],
    [2 * DAY_MS + HOUR_MS, '2d ago'],
  ])('%d ms ago → %j', (elapsed, expected) => {
    expect(formatAgo(now - elapsed, now)).toBe(expected);
  });
});

describe('formatDurationWords', () => {
  it.each([
    [0.5, '0.5s'],
    [1, '1s'],
    [9.96, '10s'],
    [42.4, '42s'],
    [60, '1m'],
    [90, '1m 30s'],
    [1800, '30m'],
    [3600, '1h'],
    [5400, '1h 30m'],
  ])('%d seconds → %s', (seconds, text) => {
    expect(formatDurationWords(seconds * 1000)).toBe(text);
  });
});

describe('formatDurationClock', () => {
  it.each([
    [0, '0s'],
    [12_000, '12s'],
    [125_000, '2m 05s'],
    [3_780_000, '1h 03m'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDurationClock(ms)).toBe(text);
  });
});

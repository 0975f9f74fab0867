import { fail, ok, type Result } from './result.js';
/**
 * Durations as people type them in chat (`30m`, `2h`, `1 hour 30 minutes`, `an hour`) and
 * as deploybot shows them back (`1h 30m`, `3h ago`).
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

/** The shortest lock worth taking. */
export const MIN_DURATION_MS = MINUTE_MS;
/** The longest lock: anything longer is forgotten rather than meant. */
export const MAX_DURATION_MS = 30 * DAY_MS;

const UNITS: ReadonlyArray<{ readonly ms: number; readonly words: readonly string[] }> = [
  { ms: WEEK_MS, words: ['w', 'wk', 'wks', 'week', 'weeks'] },
  { ms: DAY_MS, words: ['d', 'day', 'days'] },
  { ms: HOUR_MS, words: ['h', 'hr', 'hrs', 'hour', 'hours'] },
  { ms: MINUTE_MS, words: ['m', 'min', 'mins', 'minute', 'minutes'] },
];

const PIECE = /^(\d+(?:\.\d+)?\s*|an?\s+)([a-z]+)\s*(?:,\s*|and\s+)?/;

/** A duration's check: its milliseconds, or why it is not one deploybot takes. */
export type DurationCheck = Result<
  number,
  { readonly problem: 'unreadable' | 'too_short' | 'too_long'; readonly reason: string }
>;

/**
 * Reads a duration and says why when it cannot: not a duration, or outside
 * MIN_DURATION_MS…MAX_DURATION_MS. The reason is plain text without the input in it.
 */
export function checkDuration(text: string): DurationCheck {
  const ms = measure(text);
  if (ms === undefined) {
    return fail({
      problem: 'unreadable',
      reason: 'is not a duration I understand; try 30m, 2h, 1d or 1h30m',
    });
  }
  if (ms < MIN_DURATION_MS)
    return fail({ problem: 'too_short', reason: 'is too short; the shortest is 1 minute' });
  if (ms > MAX_DURATION_MS)
    return fail({ problem: 'too_long', reason: 'is too long; the longest is 30 days' });
  return ok(ms);
}

/** `30m`, `2h`, `1d`, `90 minutes`, `1 hour`, `2 days`, `1h30m`, `1 hour and 30 minutes` → ms; else undefined. */
export function parseDuration(text: string): number | undefined {
  const checked = checkDuration(text);
  return checked.ok ? checked.value : undefined;
}

/** Unbounded: pieces of number+unit, each unit smaller than the one before. */
function measure(text: string): number | undefined {
  let rest = text.trim().toLowerCase();
  if (rest === '' || rest.length > 60) return undefined;
  let total = 0;
  let previousUnit = Number.POSITIVE_INFINITY;
  while (rest !== '') {
    const match = PIECE.exec(rest);
    if (match === null) return undefined;
    const [whole, amountText = '', unitText = ''] = match;
    const unit = UNITS.find((u) => u.words.includes(unitText));
    if (unit === undefined || unit.ms >= previousUnit) return undefined;
    // "a" and "an" read as one before a unit word: "an hour", "a day".
    const amount = amountText.startsWith('a')
      ? unitText.length > 1
        ? 1
        : Number.NaN
      : Number(amountText.trim());
    if (!Number.isFinite(amount)) return undefined;
    total += amount * unit.ms;
    previousUnit = unit.ms;
    rest = rest.slice(whole.length);
  }
  // A trailing "and" or comma leaves nothing after it; the loop above has eaten it already.
  return /(?:,|\band)\s*$/.test(text.trim().toLowerCase()) ? undefined : Math.round(total);
}

/** "45s", "5m", "1h 30m", "2d 4h": the two largest units, rounded down. */
export function formatDurationShort(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  const parts: Array<[number, string]> = [
    [Math.floor(minutes / 1440), 'd'],
    [Math.floor((minutes % 1440) / 60), 'h'],
    [minutes % 60, 'm'],
  ];
  const first = parts.findIndex(([value]) => value > 0);
  return parts
    .slice(first, first + 2)
    .filter(([value]) => value > 0)
    .map(([value, unit]) => `${value}${unit}`)
    .join(' ');
}

/** "just now", "5m ago", "3h ago", "2d ago": the largest unit only, as chat reads best. */
export function formatAgo(then: number, now: number): string {
  const elapsed = now - then;
  if (elapsed < MINUTE_MS) return 'just now';
  if (elapsed < HOUR_MS) return `${Math.floor(elapsed / MINUTE_MS)}m ago`;
  if (elapsed < DAY_MS) return `${Math.floor(elapsed / HOUR_MS)}h ago`;
  return `${Math.floor(elapsed / DAY_MS)}d ago`;
}

/** "2m 05s", "1h 03m", "12s": minutes and seconds padded, as a stopwatch reads. */
export function formatDurationClock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** 500 ms → "0.5s", 1 s → "1s", 90 s → "1m 30s", 15 min → "15m", 90 min → "1h 30m": in words, for GitHub and logs. */
export function formatDurationWords(ms: number): string {
  const totalSeconds = ms / 1000;
  if (totalSeconds < 60) {
    const rounded = totalSeconds >= 10 ? Math.round(totalSeconds) : Math.round(totalSeconds * 10) / 10;
    return `${rounded}s`;
  }
  const seconds = Math.round(totalSeconds);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  return rest > 0 ? `${minutes}m ${rest}s` : `${minutes}m`;
}

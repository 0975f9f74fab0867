import { Cron } from 'croner';

/**
 * A freeze window of an environment, as deploybot.yml gives it: a recurring one (a cron
 * expression for when it starts, how long it lasts, in which time zone) or a fixed one.
 */
export type FreezeWindow =
  | {
      readonly kind: 'cron';
      readonly cron: string;
      readonly durationMs: number;
      readonly timezone: string;
      readonly reason?: string;
    }
  | { readonly kind: 'fixed'; readonly from: number; readonly to: number; readonly reason?: string };

/** One stretch of time an environment is frozen. */
export interface FreezePeriod {
  readonly start: number;
  readonly end: number;
  readonly reason?: string;
}

// Overlapping windows chain into one freeze; this bounds the walk for a pathological config.
const MAX_CHAIN = 100;

function withReason(start: number, end: number, reason: string | undefined): FreezePeriod {
  return reason === undefined ? { start, end } : { start, end, reason };
}

/** A cron pattern croner reads, at minute precision as people write them. */
function cronOf(window: Extract<FreezeWindow, { kind: 'cron' }>): Cron {
  return new Cron(window.cron, { timezone: window.timezone, paused: true });
}

/** The window's period that covers `at`, if any: for a cron window, the one started last. */
function periodAt(window: FreezeWindow, at: number): FreezePeriod | undefined {
  if (window.kind === 'fixed') {
    return window.from <= at && at < window.to
      ? withReason(window.from, window.to, window.reason)
      : undefined;
  }
  // previousRuns is strictly before its reference: + 1 ms makes a start at `at` count.
  const [start] = cronOf(window).previousRuns(1, new Date(at + 1));
  if (!start) return undefined;
  const end = start.getTime() + window.durationMs;
  return at < end ? withReason(start.getTime(), end, window.reason) : undefined;
}

/** The window's first period that starts after `at`. */
function nextPeriod(window: FreezeWindow, at: number): FreezePeriod | undefined {
  if (window.kind === 'fixed') {
    return window.from > at ? withReason(window.from, window.to, window.reason) : undefined;
  }
  const start = cronOf(window).nextRun(new Date(at))?.getTime();
  return start === undefined ? undefined : withReason(start, start + window.durationMs, window.reason);
}

/**
 * The freeze in force at `now`, or undefined. Windows that overlap or touch count as one
 * freeze, so "until" is when deploys may really go out again; its reason is the one of the
 * window open now that ends last.
 */
export function openFreeze(windows: readonly FreezeWindow[], now: number): FreezePeriod | undefined {
  const open = windows
    .map((w) => periodAt(w, now))
    .filter((p): p is FreezePeriod => p !== undefined)
    .sort((a, b) => b.end - a.end);
  const first = open[0];
  if (!first) return undefined;
  let end = first.end;
  for (let i = 0; i < MAX_CHAIN; i++) {
    const next = windows
      .map((w) => periodAt(w, end))
      .filter((p): p is FreezePeriod => p !== undefined && p.end > end)
      .sort((a, b) => b.end - a.end)[0];
    if (!next) break;
    end = next.end;
  }
  return withReason(Math.min(...open.map((p) => p.start)), end, first.reason);
}

/** Freezes that begin after `now` and before `now + horizonMs`, soonest first, at most `limit`. */
export function upcomingFreezes(
  windows: readonly FreezeWindow[],
  now: number,
  horizonMs: number,
  limit: number,
): FreezePeriod[] {
  const found: FreezePeriod[] = [];
  for (const window of windows) {
    let at = now;
    while (found.length < limit * windows.length) {
      const period = nextPeriod(window, at);
      if (!period || period.start >= now + horizonMs) break;
      found.push(period);
      at = period.start;
    }
  }
  return found.sort((a, b) => a.start - b.start || a.end - b.end).slice(0, limit);
}

/**
 * The next moment after `now` at which the environment freezes or thaws: when to look again
 * (to announce it, or to let held merges go out). Undefined when nothing ever changes.
 */
export function nextFreezeChange(windows: readonly FreezeWindow[], now: number): number | undefined {
  const open = openFreeze(windows, now);
  if (open) return open.end;
  const starts = windows.map((w) => nextPeriod(w, now)?.start).filter((t): t is number => t !== undefined);
  return starts.length === 0 ? undefined : Math.min(...starts);
}

import { Cron } from 'croner';
import { z } from 'zod';
import { checkDuration } from '../core/duration.js';

/**
 * deploybot.yml's `freeze` and `stuck_after` keys of an environment. A freeze window is
 * either recurring (`cron`, `duration`, optional `timezone`) or fixed (`from`, `to`); both
 * may carry a `reason`. Every value is checked here so a window that cannot be read is a
 * problem naming its path, never a surprise at the moment it would open.
 */

const CRON_FIX =
  'Write when the freeze starts as a five-field cron expression, e.g. "0 17 * * FRI" for Fridays at 17:00';
const TIMEZONE_FIX = 'Use an IANA time zone name such as Europe/Berlin, America/New_York or UTC';
const INSTANT_FIX =
  'Write a date and time with its offset, e.g. "2026-12-23T00:00:00Z" or "2026-12-23T09:00:00+01:00"';

function readsAsCron(value: string): boolean {
  if (value.trim().split(/\s+/).length !== 5) return false;
  try {
    new Cron(value, { paused: true });
    return true;
  } catch {
    return false;
  }
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

// An offset is required: "2026-12-23T00:00:00" would mean whatever zone deploybot runs in.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const text = (check: (v: string) => boolean, message: (v: string) => string, fix: string) =>
  z.string().refine(check, { error: (issue) => message(String(issue.input)), params: { fix } });

export const freezeDuration = text(
  (v) => checkDuration(v).ok,
  (v) => {
    const checked = checkDuration(v);
    return `"${v}" ${checked.ok ? '' : checked.error.reason}`;
  },
  'Write how long the freeze lasts, e.g. 63h, 2d or 1h30m',
);

export const freezeWindowSchema = z
  .strictObject({
    cron: text(readsAsCron, (v) => `"${v}" is not a cron expression deploybot can read`, CRON_FIX).optional(),
    duration: freezeDuration.optional(),
    timezone: text(isTimeZone, (v) => `"${v}" is not a time zone`, TIMEZONE_FIX).optional(),
    from: text(
      (v) => INSTANT.test(v) && !Number.isNaN(Date.parse(v)),
      (v) => `"${v}" is not a date and time with an offset`,
      INSTANT_FIX,
    ).optional(),
    to: text(
      (v) => INSTANT.test(v) && !Number.isNaN(Date.parse(v)),
      (v) => `"${v}" is not a date and time with an offset`,
      INSTANT_FIX,
    ).optional(),
    reason: z
      .string()
      .min(1, { error: 'must not be empty' })
      .max(200, { error: 'must be at most 200 characters' })
      .optional(),
  })
  .superRefine((window, ctx) => {
    const recurring =
      window.cron !== undefined || window.duration !== undefined || window.timezone !== undefined;
    const fixed = window.from !== undefined || window.to !== undefined;
    const fix =
      'Write { cron, duration, timezone, reason } for a recurring freeze or { from, to, reason } for a fixed one';
    if (recurring && fixed) {
      ctx.addIssue({
        code: 'custom',
        message: 'mixes a recurring freeze (cron) with a fixed one (from, to)',
        params: { fix },
      });
      return;
    }
    if (!recurring && !fixed) {
      ctx.addIssue({
        code: 'custom',
        message: 'needs either cron and duration, or from and to',
        params: { fix },
      });
      return;
    }
    for (const key of recurring ? (['cron', 'duration'] as const) : (['from', 'to'] as const)) {
      if (window[key] === undefined)
        ctx.addIssue({ code: 'custom', path: [key], message: 'is required', params: { fix } });
    }
    if (
      window.from !== undefined &&
      window.to !== undefined &&
      Date.parse(window.to) <= Date.parse(window.from)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: 'must be after from',
        params: { fix: 'Swap from and to, or correct the date' },
      });
    }
  });

export const freezeSchema = z.array(freezeWindowSchema);

/** `stuck_after`: a duration, or `off`. */
export const stuckAfterSchema = text(
  (v) => v === 'off' || checkDuration(v).ok,
  (v) => `"${v}" is neither a duration such as 30m or 2h, nor off`,
  'Write how long a deployment may stay silent before its thread is told, e.g. 30m, or off',
);

export type RawFreezeWindow = z.output<typeof freezeWindowSchema>;

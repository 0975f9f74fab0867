/** The words about freeze windows: refusals, confirmations, announcements, `where` and `help`. */

import type { Config } from './config.js';
import { formatDurationShort, MINUTE_MS, WEEK_MS } from './duration.js';
import { type FreezePeriod, openFreeze, upcomingFreezes } from './freeze.js';
import { escapeMrkdwn, type MessageContent, note } from './message.js';

/** "Mon 7 Dec, 08:00" in a time zone: when a freeze or a lock starts or ends. */
export function formatWhen(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
}

/** Chat has no viewer's time zone: times there are UTC, said so. */
function utc(at: number): string {
  return `${formatWhen(at, 'UTC')} UTC`;
}

function reasonOf(period: FreezePeriod): string {
  const reason = period.reason?.trim();
  return reason ? ` (“${escapeMrkdwn(reason)}”)` : '';
}

/** "frozen (“weekend”) until Mon 7 Dec, 08:00 UTC, 2d 3h from now" */
export function freezeUntil(period: FreezePeriod, now: number): string {
  const left = formatDurationShort(Math.max(MINUTE_MS, period.end - now));
  return `frozen${reasonOf(period)} until ${utc(period.end)}, ${left} from now`;
}

/** "freeze (“weekend”) from Fri 4 Dec, 16:00 UTC to Mon 7 Dec, 07:00 UTC" */
export function freezeSpan(period: FreezePeriod): string {
  return `freeze${reasonOf(period)} from ${utc(period.start)} to ${utc(period.end)}`;
}

function place(repository: string, environment: string): string {
  return `*${escapeMrkdwn(environment)}* of *${escapeMrkdwn(repository)}*`;
}

/** Said in the repository's channel when a freeze begins. */
export function renderFreezeStarted(
  repository: string,
  environment: string,
  period: FreezePeriod,
  now: number,
) {
  return note(
    `:snowflake: ${place(repository, environment)} is now ${freezeUntil(period, now)}. Deploys wait until then; an admin may still deploy with \`!\`.`,
  );
}

/** Said in the repository's channel when a freeze ends. */
export function renderFreezeEnded(repository: string, environment: string): MessageContent {
  return note(`:sunny: The freeze of ${place(repository, environment)} is over; deploys go out again.`);
}

/** The line a merged-PR deploy's message says while it waits for a freeze to end. */
export function freezeWaitText(environment: string, period: FreezePeriod, now: number): string {
  return `*${escapeMrkdwn(environment)}* is ${freezeUntil(period, now)}.`;
}

/** How far ahead `where`, `help` and the board look for freezes. */
export const UPCOMING_FREEZE_HORIZON_MS = 2 * WEEK_MS;

/** An environment's freeze open now and the next ones, for `where` and `help`. */
export function freezeFacts(
  windows: Parameters<typeof openFreeze>[0],
  now: number,
): { readonly open?: FreezePeriod; readonly upcoming: FreezePeriod[] } {
  const open = openFreeze(windows, now);
  const upcoming = upcomingFreezes(windows, open?.end ?? now, UPCOMING_FREEZE_HORIZON_MS, 2);
  return open === undefined ? { upcoming } : { open, upcoming };
}

/** ":snowflake: frozen (…) until …" and ":calendar: freeze (…) from … to …" lines of one environment. */
export function freezeLines(facts: ReturnType<typeof freezeFacts>, now: number): string[] {
  return [
    ...(facts.open === undefined ? [] : [`:snowflake: ${freezeUntil(facts.open, now)}`]),
    ...facts.upcoming.map((period) => `:calendar: ${freezeSpan(period)}`),
  ];
}

/** For `help`: every environment frozen now or soon, one line each and its windows. */
export function describeFreezes(config: Config, now: number): string[] {
  const lines = config.repos.flatMap((repo) =>
    repo.environments.flatMap((environment) => {
      const lines = freezeLines(freezeFacts(environment.freeze, now), now);
      return lines.length === 0 ? [] : [`${place(repo.fullName, environment.name)}: ${lines.join('; ')}`];
    }),
  );
  // A message holds 50 blocks; a big config's freezes are for `where` to tell in full.
  return lines.length <= HELP_FREEZES_SHOWN
    ? lines
    : [
        ...lines.slice(0, HELP_FREEZES_SHOWN),
        `…and ${lines.length - HELP_FREEZES_SHOWN} more: ask \`where REPO\`.`,
      ];
}

const HELP_FREEZES_SHOWN = 20;

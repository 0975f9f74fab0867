/**
 * Watchdogs: a deployment that has gone quiet, and a merge that has waited long for CI. Each
 * is said once in its thread; the decisions here say whether to say it now, and when to look
 * again, so a use case sets one timer instead of polling.
 */
import { type DeploymentState, isFinalState } from './deployment-state.js';
import { formatDurationShort, HOUR_MS } from './duration.js';

export type WatchDecision =
  | { readonly kind: 'done' }
  | { readonly kind: 'wait'; readonly checkAt: number }
  | { readonly kind: 'warn'; readonly silentForMs: number };

/** A deployment goes quiet when no new status came for `stuckAfterMs` (absent: never watched). */
export function decideStuck(input: {
  readonly state: DeploymentState;
  readonly lastStatusAt: number;
  readonly stuckAfterMs: number | undefined;
  readonly warned: boolean;
  readonly now: number;
}): WatchDecision {
  if (input.stuckAfterMs === undefined || input.warned || isFinalState(input.state)) return { kind: 'done' };
  const due = input.lastStatusAt + input.stuckAfterMs;
  return input.now >= due
    ? { kind: 'warn', silentForMs: input.now - input.lastStatusAt }
    : { kind: 'wait', checkAt: due };
}

/** A merge waiting for CI gets one reminder after an hour. */
export const CI_REMINDER_AFTER_MS = HOUR_MS;

export function decideCiReminder(input: {
  readonly waitingSince: number;
  readonly reminded: boolean;
  readonly now: number;
}): WatchDecision {
  if (input.reminded) return { kind: 'done' };
  const due = input.waitingSince + CI_REMINDER_AFTER_MS;
  return input.now >= due
    ? { kind: 'warn', silentForMs: input.now - input.waitingSince }
    : { kind: 'wait', checkAt: due };
}

/** ":zzz: No new status for 45m: is it stuck? <@U…> · Log" */
export function describeSilence(input: {
  readonly state: DeploymentState;
  readonly silentForMs: number;
  readonly deployerMention: string | undefined;
  readonly logLink: string | undefined;
}): string {
  const who = input.deployerMention === undefined ? '' : ` ${input.deployerMention}`;
  const log = input.logLink === undefined ? '' : ` · ${input.logLink}`;
  return `:zzz: Still \`${input.state}\` with no new status for ${formatDurationShort(input.silentForMs)}: is it stuck?${who}${log}`;
}

/** ":hourglass: Still waiting for CI after 1h: `ci/build` and `ci/test` have not reported." */
export function describeCiWait(input: {
  readonly waitingForMs: number;
  readonly pending: readonly string[];
}): string {
  const names = input.pending.map((name) => `\`${name.replace(/`/g, "'")}\``);
  const list = names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  const what =
    names.length === 0 ? 'the required checks have' : `${list} ${names.length === 1 ? 'has' : 'have'}`;
  return `:hourglass: Still waiting for CI after ${formatDurationShort(input.waitingForMs)}: ${what} not reported.`;
}

import { fail, ok, type Result } from './result.js';
/**
 * The text of a chat command before the grammar reads it: Slack's escapes and links
 * undone, hostile characters refused, refs checked. Nothing here trusts its input.
 */

import { checkDuration } from './duration.js';
import { escapeMrkdwn } from './message.js';
import { isValidBranchName } from './names.js';

/** Longer input is refused unread. */
export const MAX_COMMAND_LENGTH = 500;
export const MAX_REF_LENGTH = 255;

/** A check of what someone typed: the value, or a mrkdwn-safe sentence saying what is wrong. */
export type Checked<T> = Result<T, string>;

// Controls other than whitespace, zero-width characters and bidirectional overrides:
// invisible in Slack, so a command containing them does not say what it seems to say.
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069]/;

/**
 * Slack sends `&`, `<` and `>` typed by people as `&amp;`, `&lt;` and `&gt;`, and wraps
 * links, mentions and channels in `<…>`. A link Slack made from what was typed (its label
 * is its address without `mailto:` or `http(s)://`, as in `<mailto:web@v1.io|web@v1.io>`)
 * reads as the text typed; any other link, mention or channel is refused.
 */
export function normalizeCommandText(raw: string): Checked<string> {
  if (raw.length > MAX_COMMAND_LENGTH) {
    return {
      ok: false,
      error: `That command is ${raw.length} characters long; I read at most ${MAX_COMMAND_LENGTH}.`,
    };
  }
  const parts: string[] = [];
  let last = 0;
  for (const match of raw.matchAll(/<([^<>]*)>/g)) {
    parts.push(decodeEntities(raw.slice(last, match.index)));
    const inner = unwrapSlackMarkup(match[1] ?? '');
    if (!inner.ok) return inner;
    parts.push(inner.value);
    last = match.index + match[0].length;
  }
  parts.push(decodeEntities(raw.slice(last)));
  const text = parts.join('');
  if (INVISIBLE.test(text)) {
    return { ok: false, error: 'That command contains control or invisible characters; type it again.' };
  }
  return { ok: true, value: text };
}

/** Undoes Slack's three escapes in one pass, so `&amp;lt;` stays the text `&lt;`. */
export function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|amp);/g, (_, name: string) =>
    name === 'lt' ? '<' : name === 'gt' ? '>' : '&',
  );
}

function unwrapSlackMarkup(inner: string): Checked<string> {
  if (/^[@#!]/.test(inner)) {
    return {
      ok: false,
      error:
        'Commands cannot mention people, groups or channels, not even in a lock reason; write names without the @ or #.',
    };
  }
  const bar = inner.indexOf('|');
  const target = decodeEntities(bar === -1 ? inner : inner.slice(0, bar));
  const label = bar === -1 ? undefined : decodeEntities(inner.slice(bar + 1));
  if (label !== undefined && label !== '' && !/\s/.test(label)) {
    const made = [label, `mailto:${label}`, `http://${label}`, `https://${label}`];
    if (made.includes(target)) return { ok: true, value: label };
  }
  return {
    ok: false,
    error: `${quote(label ?? target)} is a link; type the repository as \`owner/name\` or its short name, not a URL.`,
  };
}

export function isSha(ref: string): boolean {
  return /^[0-9a-f]{7,40}$/i.test(ref);
}

/**
 * A ref as deploybot accepts it: a 7–40 digit hex sha, or a branch or tag name that
 * `git check-ref-format` would accept and that uses only letters, digits and `. _ - / +`.
 * Git allows more (`$`, `;`, quotes, …), but such names reach shells and URLs, so they
 * are refused here, before anything else sees them. The reason is mrkdwn-safe.
 */
export function checkRef(ref: string): Checked<string> {
  const bad = (why: string): Checked<string> => ({ ok: false, error: `The ref ${quote(ref)} ${why}.` });
  if (ref === '') return { ok: false, error: 'Nothing follows the `@`: name a branch, tag or sha.' };
  if (ref.length > MAX_REF_LENGTH) return bad(`is longer than ${MAX_REF_LENGTH} characters`);
  if (ref.startsWith('-')) return bad("cannot start with '-'");
  const odd = [...new Set(ref.replace(/[A-Za-z0-9._/+-]/g, ''))];
  if (odd.length > 0) {
    return bad(
      `contains ${odd.map((c) => (c === '`' ? 'a backtick' : quote(c))).join(' ')}; refs may use letters, digits and \`. _ - / +\``,
    );
  }
  if (ref.includes('..')) return bad("cannot contain '..'");
  if (isSha(ref)) return { ok: true, value: ref };
  if (!isValidBranchName(ref)) return bad('is not a valid branch, tag or sha');
  return { ok: true, value: ref };
}

/**
 * User text as inline code in mrkdwn: shortened, backticks and invisible characters
 * replaced, `&<>` escaped, so it can neither break the formatting nor ping anyone.
 */
export function quote(text: string, max = 40): string {
  const short = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  const visible = short.replace(/`/g, "'").replace(new RegExp(INVISIBLE.source, 'g'), '�');
  return `\`${escapeMrkdwn(visible.replace(/\s/g, ' '))}\``;
}

export interface LockDetails {
  readonly reason: string | undefined;
  readonly durationMs: number | undefined;
  readonly steal: boolean;
}

/**
 * What follows `lock ENV on REPO`: nothing, `: REASON`, `: REASON for DURATION`,
 * `for DURATION` or `for DURATION: REASON`. A trailing `!` steals, except at the end of a
 * reason, where it is part of the reason ("deploys broken!").
 */
export function parseLockDetails(after: string): Checked<LockDetails> {
  if (after === '') return { ok: true, value: { reason: undefined, durationMs: undefined, steal: false } };
  if (/^!+$/.test(after))
    return { ok: true, value: { reason: undefined, durationMs: undefined, steal: true } };
  if (after.startsWith(':')) {
    const body = after.slice(1).trim();
    const lastFor = lastForSplit(body);
    if (lastFor !== undefined) {
      const duration = readLockDuration(lastFor.duration);
      // "waiting for QA" is a reason, not a duration; "for 30s" meant one, so it is never kept as the reason.
      if (duration.ok || duration.error.problem !== 'unreadable' || /^\d/.test(lastFor.duration.trim())) {
        if (!duration.ok) return { ok: false, error: duration.error.message };
        return {
          ok: true,
          value: { reason: lastFor.reason, durationMs: duration.value.ms, steal: duration.value.steal },
        };
      }
    }
    return { ok: true, value: { reason: body, durationMs: undefined, steal: false } };
  }
  const match = /^for\s+([^:]+?)\s*(?::\s*(.*))?$/i.exec(after);
  if (match === null) {
    return {
      ok: false,
      error: `After the repository I expected \`: REASON\` or \`for DURATION\`, not ${quote(after)}.`,
    };
  }
  const duration = readLockDuration(match[1] ?? '');
  if (!duration.ok) return { ok: false, error: duration.error.message };
  const reason = match[2]?.trim();
  return {
    ok: true,
    value: { reason, durationMs: duration.value.ms, steal: reason === undefined && duration.value.steal },
  };
}

function lastForSplit(body: string): { reason: string; duration: string } | undefined {
  const match = /^(.*)(?:^|\s)for\s+(.+)$/i.exec(body);
  if (match === null) return undefined;
  return { reason: (match[1] ?? '').trim(), duration: match[2] ?? '' };
}

type LockDuration = Result<
  { readonly ms: number; readonly steal: boolean },
  { readonly problem: 'unreadable' | 'too_short' | 'too_long'; readonly message: string }
>;

function readLockDuration(text: string): LockDuration {
  const trimmed = text.trim();
  const steal = trimmed.endsWith('!');
  const bare = trimmed.replace(/\s*!+$/, '');
  // Seconds are no unit of a lock: `30s` is under the shortest, not an unknown word.
  if (/^\d+(?:\.\d+)?\s*(?:s|secs?|seconds?)$/i.test(bare)) {
    return fail({ problem: 'too_short', message: `${quote(bare)} is too short; the shortest is 1 minute.` });
  }
  const checked = checkDuration(bare);
  if (checked.ok) return ok({ ms: checked.value, steal });
  return fail({ problem: checked.error.problem, message: `${quote(bare)} ${checked.error.reason}.` });
}

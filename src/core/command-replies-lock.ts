/** The answers to `lock` and `unlock`, lock take-overs and lapsed locks. */
import { formatAgo, formatDurationShort, MINUTE_MS } from './duration.js';
import type { Lock } from './lock.js';
import { button, escapeMrkdwn, type MessageContent, mrkdwn, note } from './message.js';
import { mention } from './policy.js';

export const ACTION_LOCK_STEAL_CONFIRM = 'lock_steal_confirm';
export const ACTION_LOCK_STEAL_CANCEL = 'lock_steal_cancel';

/** "3h ago, 2h left" */
export function lockTimes(lock: Lock, now: number): string {
  const when = [formatAgo(lock.lockedAt, now)];
  if (lock.expiresAt !== undefined) {
    when.push(`${formatDurationShort(Math.max(MINUTE_MS, lock.expiresAt - now))} left`);
  }
  return when.join(', ');
}

/** The lock's reason as typed, trimmed and escaped; undefined when it has none. */
export function lockReason(lock: Lock): string | undefined {
  const reason = lock.reason?.trim();
  return reason ? escapeMrkdwn(reason) : undefined;
}

function place(lock: Pick<Lock, 'repository' | 'environment'>): string {
  return `*${escapeMrkdwn(lock.environment)}* of *${escapeMrkdwn(lock.repository)}*`;
}

/** "*production* of *octo-org/web* is locked by <@U1> (3h ago, 2h left): “release freeze”." */
export function describeLock(lock: Lock, now: number): string {
  const reason = lockReason(lock);
  return `${place(lock)} is locked by ${mention(lock.holder)} (${lockTimes(lock, now)})${reason ? `: “${reason}”` : ''}.`;
}

/** After `lock`: what is locked, for how long, why. */
export function renderLocked(lock: Lock, options: { readonly updated?: boolean } = {}): MessageContent {
  const duration =
    lock.expiresAt === undefined ? '' : ` for ${formatDurationShort(lock.expiresAt - lock.lockedAt)}`;
  const reason = lockReason(lock);
  const head = `:lock: ${options.updated ? 'Lock updated' : 'Locked'}: ${place(lock)}${duration}${reason ? `: “${reason}”` : ''}.`;
  const hint = `Others cannot deploy there until \`unlock ${escapeMrkdwn(lock.environment)} on ${escapeMrkdwn(lock.repository)}\`${lock.expiresAt === undefined ? '' : ' or the lock expires'}.`;
  return {
    text: head,
    blocks: [
      { type: 'section', text: mrkdwn(head) },
      { type: 'context', elements: [mrkdwn(hint)] },
    ],
  };
}

export function renderUnlocked(lock: Lock, by: string): MessageContent {
  const held = by === lock.holder ? '' : ` (it was ${mention(lock.holder)}'s)`;
  return note(`:unlock: ${mention(by)} unlocked ${place(lock)}${held}.`);
}

export function renderNotLocked(repository: string, environment: string): MessageContent {
  return note(`${place({ repository, environment })} is not locked.`);
}

/** Two changed the same lock at once; the other one won. */
export function renderLockChanged(): MessageContent {
  return { text: 'Someone changed that lock a moment ago; look with `where` and try again.' };
}

/** Asks an admin to confirm taking over someone else's lock. */
export function renderStealPrompt(input: {
  readonly id: string;
  readonly existing: Lock;
  readonly now: number;
}): MessageContent {
  const head = `:warning: ${describeLock(input.existing, input.now)} Take it over? ${mention(input.existing.holder)} will be told.`;
  return {
    text: head,
    blocks: [
      { type: 'section', text: mrkdwn(head) },
      {
        type: 'actions',
        elements: [
          button('Take over', ACTION_LOCK_STEAL_CONFIRM, input.id, 'danger'),
          button('Cancel', ACTION_LOCK_STEAL_CANCEL, input.id),
        ],
      },
    ],
  };
}

/** Tells the previous holder, in the channel, that their lock was taken over. */
export function renderLockStolen(input: {
  readonly lock: Lock;
  readonly previousHolder: string;
}): MessageContent {
  const { lock } = input;
  const reason = lockReason(lock);
  return note(
    `:lock: ${mention(input.previousHolder)}, ${mention(lock.holder)} took over your lock on ` +
      `${place(lock)}${reason ? `: “${reason}”` : ''}.`,
  );
}

/** A lock that lapsed by itself. */
export function renderLockExpired(lock: Lock): MessageContent {
  const reason = lockReason(lock);
  return note(
    `:unlock: ${mention(lock.holder)}'s lock on ${place(lock)}${reason ? ` (“${reason}”)` : ''} ` +
      'expired; anyone may deploy there again.',
  );
}

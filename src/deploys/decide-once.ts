import {
  renderConfirmationCancelled,
  renderConfirmationExpired,
  renderRefusal,
} from '../core/command-replies.js';
import type { MessageContent } from '../core/message.js';
import { type ConfirmationKind, confirmationExpired, type Permission } from '../core/policy.js';
import type { Replier } from '../core/ports/chat.js';
import type { Confirmation, ConfirmationStore } from '../core/ports/confirmation-store.js';
import type { Refusal } from '../core/refusal.js';
import type { Clock } from '../core/scheduler.js';

/** Where a button's answers go: in place of the message with the button, or as a new message. */
export interface PressReplies {
  readonly prompt: Replier;
  readonly fresh: Replier;
}

export interface Press {
  readonly id: string;
  /** Slack user ID of who pressed. */
  readonly userId: string;
  /** What the press decides: go ahead, or cancel. */
  readonly answer: 'done' | 'cancelled';
  /** The kinds of confirmation this button answers; an id of any other kind is unknown to it. */
  readonly kinds: readonly ConfirmationKind[];
  /** Whether this presser may press it; may throw when the confirmation no longer makes sense. */
  readonly mayPress: (confirmation: Confirmation) => Promise<Permission> | Permission;
}

export type PressOutcome =
  | { readonly outcome: 'unknown' }
  | { readonly outcome: 'refused'; readonly refusal: Refusal }
  | { readonly outcome: 'expired' }
  | { readonly outcome: 'already_answered' }
  | { readonly outcome: 'cancelled' }
  | GoAhead;

/** The press won: what it confirmed, and when. */
export interface GoAhead {
  readonly outcome: 'go_ahead';
  readonly confirmation: Confirmation;
  readonly now: number;
}

/**
 * The one protocol of every button that answers a confirmation: found, pressed by someone
 * who may, not expired, then decided in the store, where only one press ever wins, however
 * often or by however many people it is pressed.
 */
export async function decideOnce(
  deps: { readonly store: ConfirmationStore; readonly clock: Clock },
  press: Press,
): Promise<PressOutcome> {
  const { store, clock } = deps;
  const confirmation = await store.getConfirmation(press.id);
  if (confirmation === undefined || !(press.kinds as readonly string[]).includes(confirmation.kind)) {
    return { outcome: 'unknown' };
  }
  const permission = await press.mayPress(confirmation);
  if (!permission.allowed) return { outcome: 'refused', refusal: permission };
  const now = clock.now();
  if (confirmation.state === 'open' && confirmationExpired(confirmation, now)) {
    await store.decideConfirmation(press.id, 'cancelled', press.userId, now);
    return { outcome: 'expired' };
  }
  const decided =
    confirmation.state === 'open' &&
    (await store.decideConfirmation(press.id, press.answer, press.userId, now));
  if (!decided) return { outcome: 'already_answered' };
  return press.answer === 'cancelled' ? { outcome: 'cancelled' } : { outcome: 'go_ahead', confirmation, now };
}

/**
 * Answers every outcome but going ahead, the same way for every button: refusals and late
 * presses as a new message for the presser, expiry and cancelling in place of the prompt.
 * Returns the go-ahead, which is the caller's to act on.
 */
export async function answerPress(
  outcome: PressOutcome,
  replies: PressReplies,
  alreadyAnswered: MessageContent,
): Promise<GoAhead | undefined> {
  if (outcome.outcome === 'go_ahead') return outcome;
  const { prompt, fresh } = replies;
  switch (outcome.outcome) {
    case 'unknown':
      await fresh.private(renderConfirmationExpired());
      break;
    case 'refused':
      await fresh.private(renderRefusal(outcome.refusal));
      break;
    case 'expired':
      await prompt.private(renderConfirmationExpired());
      break;
    case 'already_answered':
      await fresh.private(alreadyAnswered);
      break;
    case 'cancelled':
      await prompt.private(renderConfirmationCancelled());
      break;
  }
  return undefined;
}

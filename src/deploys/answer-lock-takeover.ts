import { findTarget } from '../core/chat-deploy.js';
import {
  renderConfirmationExpired,
  renderLockChanged,
  renderLocked,
  renderLockStolen,
  renderRefusal,
  renderTakeoverAlreadyAnswered,
} from '../core/command-replies.js';
import type { Config } from '../core/config.js';
import type { Lock } from '../core/lock.js';
import { takeOverLock } from '../core/lock-policy.js';
import { canPressConfirmation, canStealLock } from '../core/policy.js';
import type { ChatPort } from '../core/ports/chat.js';
import type { ConfirmationStore } from '../core/ports/confirmation-store.js';
import type { LockStore } from '../core/ports/lock-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { Clock } from '../core/scheduler.js';
import { askerFor } from './asker-for.js';
import { answerPress, decideOnce, type PressReplies } from './decide-once.js';

export interface AnswerLockTakeoverOptions {
  readonly config: Config;
  readonly chat: ChatPort;
  readonly store: LockStore & ConfirmationStore;
  readonly clock: Clock;
  readonly log: LogPort;
  /** Told of every lock taken, so its expiry is watched (see watch-lock-expiry.ts). */
  readonly onLocked?: (lock: Lock) => void;
}

export interface LockTakeoverPress {
  readonly id: string;
  readonly userId: string;
  /** Take over, or Cancel. */
  readonly answer: 'confirm' | 'cancel';
}

export type AnswerLockTakeover = (press: LockTakeoverPress, replies: PressReplies) => Promise<void>;

/** An admin's Take over and Cancel buttons: decided once; the previous holder is told in the channel. */
export function createAnswerLockTakeover(options: AnswerLockTakeoverOptions): AnswerLockTakeover {
  const { store, log } = options;
  return async (press, replies) => {
    const outcome = await decideOnce(options, {
      id: press.id,
      userId: press.userId,
      answer: press.answer === 'cancel' ? 'cancelled' : 'done',
      kinds: ['steal'],
      mayPress: (confirmation) => canPressConfirmation(confirmation, press.userId),
    });
    const pressed = await answerPress(outcome, replies, renderTakeoverAlreadyAnswered());
    if (pressed === undefined) return;

    const { confirmation } = pressed;
    // decideOnce let only take-overs through; the check tells the compiler too.
    if (confirmation.kind !== 'steal') return replies.prompt.private(renderConfirmationExpired());
    const takeover = confirmation.request;
    const target = findTarget(options.config, takeover.lock.repository, takeover.lock.environment);
    if (target === undefined) return replies.prompt.private(renderConfirmationExpired());
    // Whether they are still an admin there: the config or their groups may have changed meanwhile.
    const permission = canStealLock(await askerFor(options.chat, target.environment, press.userId));
    if (!permission.allowed) return replies.prompt.private(renderRefusal(permission));
    const taken = takeOverLock(takeover, pressed.now);
    if (!(await store.replaceLock(taken, takeover.previous))) {
      return replies.prompt.private(renderLockChanged());
    }
    options.onLocked?.(taken);
    log.info(
      { repository: taken.repository, environment: taken.environment, from: takeover.previous.holder },
      'lock taken over',
    );
    await replies.prompt.private(renderLocked(taken));
    await replies.fresh.public(renderLockStolen({ lock: taken, previousHolder: takeover.previous.holder }));
  };
}

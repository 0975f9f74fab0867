import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import {
  ACTION_DEPLOY_FORCE,
  ACTION_LOCK_STEAL_CANCEL,
  ACTION_LOCK_STEAL_CONFIRM,
} from '../core/command-replies.js';
import {
  ACTION_DEPLOY_APPROVE,
  ACTION_DEPLOY_CANCEL,
  ACTION_DEPLOY_CONFIRM,
} from '../core/command-replies-confirm.js';
import { presentError, toDeploybotError } from '../core/errors.js';
import { escapeMrkdwn } from '../core/message.js';
import type { Logger } from '../logger.js';
import type { ChatLocks } from './chat-locks.js';
import type { ConfirmationPresses } from './chat-presses.js';
import { createResponseReplier } from './replies.js';

export interface ActionDeps {
  readonly presses: ConfirmationPresses;
  readonly locks: ChatLocks;
  readonly logger: Logger;
}

type Press = 'confirm' | 'cancel' | 'approve';

const DEPLOY_BUTTONS: ReadonlyArray<readonly [string, Press]> = [
  [ACTION_DEPLOY_CONFIRM, 'confirm'],
  [ACTION_DEPLOY_FORCE, 'confirm'],
  [ACTION_DEPLOY_CANCEL, 'cancel'],
  [ACTION_DEPLOY_APPROVE, 'approve'],
];

const LOCK_BUTTONS: ReadonlyArray<readonly [string, 'confirm' | 'cancel']> = [
  [ACTION_LOCK_STEAL_CONFIRM, 'confirm'],
  [ACTION_LOCK_STEAL_CANCEL, 'cancel'],
];

/** The buttons of confirmations, "Deploy anyway", approvals and lock take-overs: acknowledged first, then acted on once. */
export function registerActions(bolt: App, deps: ActionDeps): void {
  const handle = (actionId: string, act: (id: string, userId: string, replies: Replies) => Promise<void>) => {
    bolt.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const replies = {
        prompt: createResponseReplier(respond, {
          replaceOriginal: true,
          originalIsPublic: body.container?.is_ephemeral !== true,
        }),
        fresh: createResponseReplier(respond, { replaceOriginal: false }),
      };
      try {
        await act(action.value ?? '', body.user.id, replies);
      } catch (thrown) {
        const error = toDeploybotError(thrown);
        const presented = presentError(error);
        deps.logger[presented.logLevel]({ err: error, code: error.code, action: actionId }, 'button failed');
        await replies.fresh.private({ text: `:warning: ${escapeMrkdwn(presented.text)}` });
      }
    });
  };
  for (const [actionId, press] of DEPLOY_BUTTONS) {
    handle(actionId, (id, userId, replies) => deps.presses.press(id, userId, press, replies));
  }
  for (const [actionId, press] of LOCK_BUTTONS) {
    handle(actionId, (id, userId, replies) => deps.locks.pressSteal(id, userId, press, replies));
  }
}

type Replies = Parameters<ConfirmationPresses['press']>[3];

import type { ButtonAction } from '@slack/bolt';
import {
  ACTION_DEPLOY_APPROVE,
  ACTION_DEPLOY_CANCEL,
  ACTION_DEPLOY_CONFIRM,
  ACTION_DEPLOY_FORCE,
  ACTION_LOCK_STEAL_CANCEL,
  ACTION_LOCK_STEAL_CONFIRM,
  renderFailure,
  renderRefusal,
} from '../core/command-replies.js';
import { presentError, toDeploybotError } from '../core/errors.js';
import type { PressReplies } from '../deploys/decide-once.js';
import type { Logger } from '../logger.js';
import type { ChatUseCases } from './chat-use-cases.js';
import { createResponseReplier } from './replies.js';
import type { SlackRoutes } from './slack-routes.js';

type ButtonUseCases = Pick<
  ChatUseCases,
  'admitChatUser' | 'answerDeployConfirmation' | 'approveDeploy' | 'answerLockTakeover'
>;
type Pressed = (u: ButtonUseCases, id: string, userId: string, replies: PressReplies) => Promise<void>;

const BUTTONS: ReadonlyArray<readonly [string, Pressed]> = [
  [
    ACTION_DEPLOY_CONFIRM,
    (u, id, userId, r) => u.answerDeployConfirmation({ id, userId, answer: 'confirm' }, r),
  ],
  [
    ACTION_DEPLOY_FORCE,
    (u, id, userId, r) => u.answerDeployConfirmation({ id, userId, answer: 'confirm' }, r),
  ],
  [
    ACTION_DEPLOY_CANCEL,
    (u, id, userId, r) => u.answerDeployConfirmation({ id, userId, answer: 'cancel' }, r),
  ],
  [ACTION_DEPLOY_APPROVE, (u, id, userId, r) => u.approveDeploy({ id, userId }, r)],
  [
    ACTION_LOCK_STEAL_CONFIRM,
    (u, id, userId, r) => u.answerLockTakeover({ id, userId, answer: 'confirm' }, r),
  ],
  [ACTION_LOCK_STEAL_CANCEL, (u, id, userId, r) => u.answerLockTakeover({ id, userId, answer: 'cancel' }, r)],
];

/** The buttons of confirmations, "Deploy anyway", approvals and lock take-overs: acknowledged first, then acted on once. */
export function registerButtons(routes: SlackRoutes, useCases: ButtonUseCases, logger: Logger): void {
  for (const [actionId, pressed] of BUTTONS) {
    routes.action<ButtonAction>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const replies = {
        prompt: createResponseReplier(respond, {
          replaceOriginal: true,
          originalIsPublic: body.container?.is_ephemeral !== true,
        }),
        fresh: createResponseReplier(respond, { replaceOriginal: false }),
      };
      try {
        const admitted = await useCases.admitChatUser(body.user.id);
        if (!admitted.allowed) {
          await replies.fresh.private(renderRefusal(admitted));
          return;
        }
        await pressed(useCases, action.value ?? '', body.user.id, replies);
      } catch (thrown) {
        const error = toDeploybotError(thrown);
        logger[presentError(error).logLevel](
          { err: error, code: error.code, action: actionId },
          'button failed',
        );
        await replies.fresh.private(renderFailure(error));
      }
    });
  }
}

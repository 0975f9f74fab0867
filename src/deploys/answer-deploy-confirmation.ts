import { renderAlreadyAnswered, renderRefusal } from '../core/command-replies.js';
import { canPressConfirmation } from '../core/policy.js';
import { advanceChatDeploy } from './advance-chat-deploy.js';
import type { ChatDeployOptions } from './chat-deploy-options.js';
import { answerPress, decideOnce, type PressReplies } from './decide-once.js';
import { DEPLOY_CONFIRMATION_KINDS, readPendingPlan } from './read-pending-plan.js';
import { refuseChatDeploy } from './refuse-chat-deploy.js';

export interface DeployConfirmationPress {
  readonly id: string;
  readonly userId: string;
  /** Deploy (or "Deploy anyway"), or Cancel. */
  readonly answer: 'confirm' | 'cancel';
}

export type AnswerDeployConfirmation = (
  press: DeployConfirmationPress,
  replies: PressReplies,
) => Promise<void>;

/** The asker's Deploy, "Deploy anyway" and Cancel buttons: decided once, then the deploy goes on. */
export function createAnswerDeployConfirmation(options: ChatDeployOptions): AnswerDeployConfirmation {
  return async (press, replies) => {
    const outcome = await decideOnce(options, {
      id: press.id,
      userId: press.userId,
      answer: press.answer === 'cancel' ? 'cancelled' : 'done',
      kinds: DEPLOY_CONFIRMATION_KINDS,
      mayPress: (confirmation) => {
        // A plan whose environment left deploybot.yml fails the press before anything is decided.
        readPendingPlan(options.config, confirmation);
        return canPressConfirmation(confirmation, press.userId);
      },
    });
    const pressed = await answerPress(outcome, replies, renderAlreadyAnswered());
    if (pressed === undefined) return;
    const { plan, environment } = readPendingPlan(options.config, pressed.confirmation);
    // Exactly the commit the asker was shown is deployed once they confirmed it.
    // "Deploy anyway" likewise ships the commit whose failing checks it was shown under.
    const kind = pressed.confirmation.kind;
    const next = { ...plan, confirmed: plan.confirmed || kind === 'deploy' || kind === 'force' };
    const refused = await refuseChatDeploy(options, next, environment);
    if (refused !== undefined) return replies.prompt.private(renderRefusal(refused));
    return advanceChatDeploy(options, next, environment, replies.prompt);
  };
}

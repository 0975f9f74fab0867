import {
  renderAlreadyAnswered,
  renderApproved,
  renderMergeApproved,
  renderRefusal,
} from '../core/command-replies.js';
import { canApprove } from '../core/policy.js';
import { advanceChatDeploy } from './advance-chat-deploy.js';
import { askerFor } from './asker-for.js';
import type { ChatDeployOptions } from './chat-deploy-options.js';
import { answerPress, decideOnce, type PressReplies } from './decide-once.js';
import { DEPLOY_CONFIRMATION_KINDS, readPendingPlan } from './read-pending-plan.js';
import { refuseChatDeploy } from './refuse-chat-deploy.js';

export type ApproveDeploy = (
  press: { readonly id: string; readonly userId: string },
  replies: PressReplies,
) => Promise<void>;

/** Approve, pressed in the channel by someone other than the asker: once approved enough, it deploys. */
export function createApproveDeploy(options: ChatDeployOptions): ApproveDeploy {
  return async (press, replies) => {
    const outcome = await decideOnce(options, {
      id: press.id,
      userId: press.userId,
      answer: 'done',
      kinds: DEPLOY_CONFIRMATION_KINDS,
      mayPress: async (confirmation) => {
        const { plan, environment } = readPendingPlan(options.config, confirmation);
        const approver = await askerFor(options.chat, environment, press.userId);
        return canApprove({
          approverId: press.userId,
          requesterId: plan.userId,
          environment,
          approverGroups: approver.userGroups,
          approverStanding: approver.standing,
        });
      },
    });
    const pressed = await answerPress(outcome, replies, renderAlreadyAnswered());
    if (pressed === undefined) return;
    const { plan, environment } = readPendingPlan(options.config, pressed.confirmation);
    const next = { ...plan, approvedBy: [...plan.approvedBy, press.userId] };
    const { merge } = plan;
    if (merge !== undefined) {
      // A merge deploy meets locks and CI in the merge flow once approved; nobody asked in Slack.
      await replies.prompt.public(renderMergeApproved({ ...plan, ...merge, approverId: press.userId }));
      return advanceChatDeploy(options, next, environment, { private: async () => undefined });
    }
    const refused = await refuseChatDeploy(options, next, environment);
    if (refused !== undefined) return replies.prompt.private(renderRefusal(refused));
    await replies.prompt.public(
      renderApproved({ ...plan, approverId: press.userId, requesterId: plan.userId }),
    );
    // The outcome is the asker's to see (and a "Deploy anyway" theirs to press), not the approver's.
    const thread = plan.threadTs === undefined ? {} : { threadTs: plan.threadTs };
    return advanceChatDeploy(options, next, environment, {
      private: (content) => options.chat.postEphemeral(plan.channel, plan.userId, content, thread),
    });
  };
}

import type { ChatUseCases } from '../bot/chat-use-cases.js';
import { createAdmitChatUser } from '../deploys/admit-chat-user.js';
import { createAnswerDeployConfirmation } from '../deploys/answer-deploy-confirmation.js';
import { createAnswerLockTakeover } from '../deploys/answer-lock-takeover.js';
import { createApproveDeploy } from '../deploys/approve-deploy.js';
import { type CancelChatDeploysOptions, createCancelChatDeploys } from '../deploys/cancel-chat-deploys.js';
import type { CancelResult, CancelTarget } from '../deploys/cancel-deploy-jobs.js';
import type { ChatDeployOptions } from '../deploys/chat-deploy-options.js';
import { createLockEnvironment } from '../deploys/lock-environment.js';
import type { RequestChatDeploy } from '../deploys/request-chat-deploy.js';
import { createRequestRollback } from '../deploys/request-rollback.js';
import { createShowHistory } from '../deploys/show-history.js';
import { createShowWhere } from '../deploys/show-where.js';
import { createUnlockEnvironment } from '../deploys/unlock-environment.js';

/** What every chat use case needs, together: the ports and core values they share. */
type ChatDeps = ChatDeployOptions &
  Parameters<typeof createAdmitChatUser>[0] &
  Parameters<typeof createShowWhere>[0] &
  Parameters<typeof createShowHistory>[0] &
  Parameters<typeof createLockEnvironment>[0] &
  Parameters<typeof createUnlockEnvironment>[0] &
  Omit<CancelChatDeploysOptions, 'cancelDeploys'> &
  Parameters<typeof createAnswerDeployConfirmation>[0] &
  Parameters<typeof createApproveDeploy>[0] &
  Parameters<typeof createAnswerLockTakeover>[0];

/** Every use case chat reaches, one per command and button, over the same ports. */
export function buildChatUseCases(
  chatDeps: ChatDeps,
  more: {
    readonly requestChatDeploy: RequestChatDeploy;
    readonly cancelDeploys: (target: CancelTarget, by: string) => Promise<CancelResult>;
  },
): ChatUseCases {
  return {
    admitChatUser: createAdmitChatUser(chatDeps),
    requestChatDeploy: more.requestChatDeploy,
    requestRollback: createRequestRollback({ ...chatDeps, requestChatDeploy: more.requestChatDeploy }),
    showWhere: createShowWhere(chatDeps),
    showHistory: createShowHistory(chatDeps),
    lockEnvironment: createLockEnvironment(chatDeps),
    unlockEnvironment: createUnlockEnvironment(chatDeps),
    cancelChatDeploys: createCancelChatDeploys({
      ...chatDeps,
      cancelDeploys: async (target, by) => [...(await more.cancelDeploys(target, by)).cancelled],
    }),
    answerDeployConfirmation: createAnswerDeployConfirmation(chatDeps),
    approveDeploy: createApproveDeploy(chatDeps),
    answerLockTakeover: createAnswerLockTakeover(chatDeps),
  };
}

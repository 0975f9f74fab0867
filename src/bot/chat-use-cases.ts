import type { Config } from '../core/config.js';
import type { Clock } from '../core/scheduler.js';
import type { AdmitChatUser } from '../deploys/admit-chat-user.js';
import type { AnswerDeployConfirmation } from '../deploys/answer-deploy-confirmation.js';
import type { AnswerLockTakeover } from '../deploys/answer-lock-takeover.js';
import type { ApproveDeploy } from '../deploys/approve-deploy.js';
import type { CancelChatDeploys } from '../deploys/cancel-chat-deploys.js';
import type { LockEnvironment } from '../deploys/lock-environment.js';
import type { RequestChatDeploy } from '../deploys/request-chat-deploy.js';
import type { RequestRollback } from '../deploys/request-rollback.js';
import type { ShowHistory } from '../deploys/show-history.js';
import type { ShowWhere } from '../deploys/show-where.js';
import type { UnlockEnvironment } from '../deploys/unlock-environment.js';
import type { Logger } from '../logger.js';

/** The use cases chat reaches: one per command and per button. */
export interface ChatUseCases {
  /** Asked before any command: guests and users of other workspaces are nobody unless listed. */
  readonly admitChatUser: AdmitChatUser;
  readonly requestChatDeploy: RequestChatDeploy;
  readonly requestRollback: RequestRollback;
  readonly showWhere: ShowWhere;
  readonly showHistory: ShowHistory;
  readonly lockEnvironment: LockEnvironment;
  readonly unlockEnvironment: UnlockEnvironment;
  readonly cancelChatDeploys: CancelChatDeploys;
  readonly answerDeployConfirmation: AnswerDeployConfirmation;
  readonly approveDeploy: ApproveDeploy;
  readonly answerLockTakeover: AnswerLockTakeover;
}

export interface ChatListenerContext {
  /** deploybot.yml, which the command grammar reads names from. */
  readonly config: Config;
  readonly logger: Logger;
  /** For `help`, which names the freezes open now or soon. */
  readonly clock: Clock;
}

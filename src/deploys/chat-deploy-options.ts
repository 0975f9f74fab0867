import type { MergeApproval } from '../core/chat-deploy.js';
import type { Config } from '../core/config.js';
import type { ChatPort } from '../core/ports/chat.js';
import type { ConfirmationStore } from '../core/ports/confirmation-store.js';
import type { CreatedDeployment, GitHubPort } from '../core/ports/github.js';
import type { LockStore } from '../core/ports/lock-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { Clock } from '../core/scheduler.js';
import type { ReadRecentDeployments } from './read-recent-deployments.js';

/** What the steps of a chat deploy (ask, confirm, approve, create) work with. */
export interface ChatDeployOptions {
  readonly config: Config;
  readonly github: GitHubPort;
  /** The newest deployments with their statuses, from as few GitHub calls as the store allows. */
  readonly recentDeployments: ReadRecentDeployments;
  readonly chat: ChatPort;
  readonly store: LockStore & ConfirmationStore;
  readonly clock: Clock;
  readonly newId: () => string;
  /** https://github.com (or a GitHub Enterprise Server's address), for commit and compare links. */
  readonly githubWebUrl: string;
  readonly log: LogPort;
  /** Sends a merged pull request's deploy on once approved: through the merge flow (locks, CI), not chat's. */
  readonly deployApprovedMerge?: (merge: MergeApproval, channel: string) => Promise<void>;
  /** Hands a deployment deploybot created to the deployer. */
  readonly onDeploymentCreated: (repository: string, deployment: CreatedDeployment) => Promise<void>;
}

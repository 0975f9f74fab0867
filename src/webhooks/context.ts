import type { Config } from '../core/config.js';
import type { IncomingDeployment } from '../core/deploy-intake.js';
import type { CreatedDeployment } from '../core/ports/github.js';
import type { Announcer } from '../core/ports.js';
import type { Clock } from '../core/scheduler.js';
import type { GitHubClient } from '../github/client.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';

/** What every webhook handler gets. */
export interface WebhookContext {
  readonly config: Config;
  readonly github: GitHubClient;
  /** GitHub's web pages, from GITHUB_API_URL: links to commits and pull requests start here. */
  readonly githubWebUrl: string;
  readonly announcer: Announcer;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly newId: () => string;
  /** True on the last try of a delivery: transient failures are then announced instead of retried. */
  readonly finalAttempt: boolean;
  /** Told of every deployment deploybot creates, so the deployer runs it even if its webhook never comes. */
  readonly onDeploymentCreated: (repository: string, deployment: CreatedDeployment) => Promise<void>;
  /** Told of every `deployment` event, whoever created the deployment; the deployer decides what runs. */
  readonly onDeploymentEvent: (deployment: IncomingDeployment) => Promise<void>;
}

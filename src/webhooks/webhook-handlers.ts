import type { IncomingDeployment } from '../core/deploy-intake.js';
import type { AnnounceDeploymentStatus } from '../deploys/announce-deployment-status.js';
import type { DeployMergedPullRequest } from '../deploys/deploy-merged-pull-request.js';
import type { RecheckCiWaits } from '../deploys/recheck-ci-waits.js';
import { createCheckSuiteHandler } from './handlers/check-suite.js';
import { createDeploymentHandler } from './handlers/deployment.js';
import { createDeploymentStatusHandler } from './handlers/deployment-status.js';
import { createPullRequestHandler } from './handlers/pull-request.js';
import { createStatusHandler } from './handlers/status.js';
import type { RepositoryLinks, WebhookHandler } from './handlers/webhook-handler.js';

export type WebhookHandlers = Readonly<Record<string, WebhookHandler>>;

/** The use cases GitHub's events lead to. */
export interface WebhookUseCases {
  readonly deployMergedPullRequest: DeployMergedPullRequest;
  readonly recheckCiWaits: RecheckCiWaits;
  readonly announceDeploymentStatus: AnnounceDeploymentStatus;
  /** Told of every `deployment` event, whoever created the deployment; the deployer decides what runs. */
  readonly onDeploymentEvent: (deployment: IncomingDeployment) => Promise<void>;
}

/** The handler of each event deploybot acts on. */
export function createWebhookHandlers(useCases: WebhookUseCases, links: RepositoryLinks): WebhookHandlers {
  return {
    pull_request: createPullRequestHandler(useCases.deployMergedPullRequest, links),
    deployment: createDeploymentHandler(useCases.onDeploymentEvent),
    deployment_status: createDeploymentStatusHandler(useCases.announceDeploymentStatus, links),
    status: createStatusHandler(useCases.recheckCiWaits, links),
    check_suite: createCheckSuiteHandler(useCases.recheckCiWaits, links),
  };
}

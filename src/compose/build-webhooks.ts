import type { WebhookMetrics } from '../core/ports/metrics.js';
import type { AnnounceDeploymentStatus } from '../deploys/announce-deployment-status.js';
import type { DeployMerge } from '../deploys/deploy-merge.js';
import { createDeployMergedPullRequest } from '../deploys/deploy-merged-pull-request.js';
import type { Deployer } from '../deploys/deployer.js';
import { createHandleReconciledDeployment } from '../deploys/handle-reconciled-deployment.js';
import { createRecheckCiWaits } from '../deploys/recheck-ci-waits.js';
import { RECONCILED_DEPLOYMENT_EVENT } from '../deploys/reconcile-with-github.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { createDispatcher } from '../webhooks/dispatch.js';
import { createReconciledDeploymentHandler } from '../webhooks/handlers/reconciled-deployment.js';
import { createInbox, type Inbox } from '../webhooks/inbox.js';
import { createIngestGauge } from '../webhooks/ingest-gauge.js';
import { slimPayload } from '../webhooks/payloads.js';
import { createWebhookReceiver, type WebhookReceiver } from '../webhooks/receiver.js';
import { createWebhookHandlers } from '../webhooks/webhook-handlers.js';
import type { AppOptions } from './app-options.js';

/** A delivery is tried this often before a transient failure is announced instead of retried. */
const WEBHOOK_MAX_ATTEMPTS = 8;
/** At most this many deliveries are held in memory at once; the rest wait in the store. */
const WEBHOOK_MAX_IN_FLIGHT = 64;
/**
 * This many webhook requests under way at once, and the inbox gives way to the receiver. GitHub's
 * deliveries take ~2 ms each here: 8 at once means well over a thousand a second.
 */
const WEBHOOK_PRESSED_AT = 8;
/** And it keeps giving way this long after, unless the flood is back. */
const WEBHOOK_PRESSED_HOLD_MS = 1_000;

/** What the webhook side runs over, built by the composition root before it. */
export interface WebhookParts {
  readonly store: Store;
  readonly deployer: Deployer;
  readonly deployMerge: DeployMerge;
  readonly announceDeploymentStatus: AnnounceDeploymentStatus;
  readonly repositoryUrl: (fullName: string) => string;
  /** Names this process on its leases. */
  readonly runnerId: string;
  readonly log: Logger;
  readonly metrics: WebhookMetrics;
}

/**
 * GitHub's side: the handlers of its events, the inbox that works through stored deliveries
 * (theirs and what reconciliation found, each in its repository's turn), and the receiver.
 */
export function buildWebhooks(
  options: AppOptions,
  parts: WebhookParts,
): { inbox: Inbox; receiver: WebhookReceiver } {
  const { settings, config, scheduler, timings } = options;
  const { store, deployMerge, repositoryUrl, announceDeploymentStatus, log } = parts;
  const handlers = createWebhookHandlers(
    {
      deployMergedPullRequest: createDeployMergedPullRequest({ config, deployMerge }),
      recheckCiWaits: createRecheckCiWaits({ store, deployMerge }),
      announceDeploymentStatus,
      onDeploymentEvent: parts.deployer.deploymentArrived,
    },
    { repositoryUrl },
  );
  const inboxHandlers = {
    ...handlers,
    [RECONCILED_DEPLOYMENT_EVENT]: createReconciledDeploymentHandler(
      createHandleReconciledDeployment({
        store,
        repositoryUrl,
        deploymentArrived: parts.deployer.deploymentArrived,
        announceDeploymentStatus,
      }),
    ),
  };
  const gauge = createIngestGauge({
    pressedAt: WEBHOOK_PRESSED_AT,
    holdMs: WEBHOOK_PRESSED_HOLD_MS,
    clock: scheduler,
  });
  const inbox = createInbox({
    store,
    handle: createDispatcher({ handlers: inboxHandlers, maxAttempts: WEBHOOK_MAX_ATTEMPTS, logger: log }),
    scheduler,
    logger: log,
    owner: parts.runnerId,
    maxInFlight: WEBHOOK_MAX_IN_FLIGHT,
    maxAttempts: WEBHOOK_MAX_ATTEMPTS,
    retryDelayMs: timings.webhookRetryDelayMs,
    tuning: timings.inbox,
    pressed: gauge.pressed,
    metrics: parts.metrics,
  });
  const receiver = createWebhookReceiver({
    secret: settings.github.webhookSecret,
    bodyLimitBytes: settings.webhookBodyLimitBytes,
    store,
    clock: scheduler,
    logger: log,
    // GitHub's events only: deploybot's own inbox events come from nobody outside.
    handles: (event) => Object.hasOwn(handlers, event),
    keep: slimPayload,
    gauge,
    onDelivery: (delivery) => inbox.nudge(delivery.partitionKey),
    metrics: parts.metrics,
  });
  return { inbox, receiver };
}

import type { Config } from '../core/config.js';
import { FINAL_STATES, isDeploymentState } from '../core/deployment-state.js';
import type { AnnouncementStore } from '../core/ports/announcement-store.js';
import type { DeliveryStore } from '../core/ports/delivery-store.js';
import type { DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { GitHubPort, ListedDeployment, RepoRef } from '../core/ports/github.js';
import type { LogPort } from '../core/ports/log.js';
import { repoKey } from '../core/repo-key.js';
import type { Clock } from '../core/scheduler.js';
import type { ReconciledDeployment } from './handle-reconciled-deployment.js';
import type { ReconcileCiWaits } from './reconcile-ci-waits.js';

/** The inbox event of a deployment reconciliation found (handle-reconciled-deployment.ts). */
export const RECONCILED_DEPLOYMENT_EVENT = 'deploybot.reconciled_deployment';

/** How far back reconciliation looks: older deployments would not run anyway (MAX_DEPLOYMENT_AGE_MS). */
export const RECONCILE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface ReconcileWithGitHubOptions {
  readonly config: Config;
  readonly github: Pick<GitHubPort, 'listRecentDeployments' | 'getLatestDeploymentStatus'>;
  readonly store: Pick<DeployJobStore, 'getDeployJob'> &
    Pick<AnnouncementStore, 'getAnnouncement'> &
    Pick<DeliveryStore, 'recordDelivery'>;
  readonly clock: Clock;
  /** What GitHub did this recently (a deployment made, a status posted) waits for its webhook. */
  readonly graceMs: number;
  /** Told when a found deployment was stored for the inbox: it is handled now, not at the next poll. */
  readonly onRecorded: () => void;
  readonly reconcileCiWaits: ReconcileCiWaits;
  readonly log: LogPort;
}

export type ReconcileWithGitHub = (signal: AbortSignal) => Promise<void>;

/**
 * Catches up with what GitHub knows and deploybot missed (webhooks lost while it was down or
 * failed for good): for each configured environment, its deployments of the last day. One
 * deploybot has no job for is taken in as its `deployment` webhook would be; its latest
 * status, unless deploybot already announced a final one, is announced as its
 * `deployment_status` webhook would be. A few calls per environment: a list, and the latest
 * status only of deployments not already settled in the store. Then the waits for CI.
 */
export function createReconcileWithGitHub(options: ReconcileWithGitHubOptions): ReconcileWithGitHub {
  const { github, store } = options;

  /**
   * What GitHub knows and deploybot missed goes to the inbox as a delivery of its repository, so
   * it is handled in turn with that repository's webhooks (never racing them for a message); its
   * id names the deployment and status, so finding it again adds nothing.
   */
  async function reconcileDeployment(repo: RepoRef, repository: string, d: ListedDeployment) {
    const shown = await store.getAnnouncement(d.id);
    // Announced final: nothing runs, and GitHub is not asked again (the `inactive` that may follow
    // a `success` is its webhook's to announce).
    if (shown !== undefined && isDeploymentState(shown.state) && FINAL_STATES.has(shown.state)) return;
    const now = options.clock.now();
    // Its webhooks may still be on their way: acting now could announce its statuses out of order.
    if (now - Date.parse(d.createdAt) < options.graceMs) return;
    const status = await github.getLatestDeploymentStatus(repo, d.id);
    if (status !== undefined && now - Date.parse(status.createdAt) < options.graceMs) return;
    const mayRun =
      (status === undefined || !FINAL_STATES.has(status.state)) && !(await store.getDeployJob(d.id));
    const unannounced = status !== undefined && shown?.statusId !== status.id;
    if (!mayRun && !unannounced) return;
    const found: ReconciledDeployment = {
      repository,
      deployment: d,
      ...(status === undefined ? {} : { status }),
    };
    const recorded = await store.recordDelivery({
      deliveryId: `reconcile-${d.id}-${status?.id ?? 0}`,
      action: undefined,
      event: RECONCILED_DEPLOYMENT_EVENT,
      partitionKey: repoKey(repository),
      payload: { ...found },
      receivedAt: options.clock.now(),
    });
    if (recorded !== 'duplicate') options.onRecorded();
  }

  return async (signal) => {
    const since = options.clock.now() - RECONCILE_WINDOW_MS;
    for (const repoConfig of options.config.repos) {
      const repo = { owner: repoConfig.owner, repo: repoConfig.name };
      for (const environment of repoConfig.environments) {
        if (signal.aborted) return;
        const log = options.log.child({ repository: repoConfig.fullName, environment: environment.name });
        let listed: ListedDeployment[];
        try {
          listed = await github.listRecentDeployments(repo, { environment: environment.name, since });
        } catch (error) {
          log.warn(
            { err: error },
            'could not list deployments to reconcile; the next reconciliation tries again',
          );
          continue;
        }
        // Oldest first, so announcements come in the order the deployments were made.
        for (const deployment of listed.reverse()) {
          if (signal.aborted) return;
          try {
            await reconcileDeployment(repo, repoConfig.fullName, deployment);
          } catch (error) {
            log.warn(
              { err: error, deployment: deployment.id },
              'could not reconcile a deployment; the next reconciliation tries again',
            );
          }
        }
      }
    }
    if (!signal.aborted) await options.reconcileCiWaits(signal);
  };
}

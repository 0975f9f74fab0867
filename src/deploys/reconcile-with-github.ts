import type { DeploymentFacts, StatusFacts } from '../core/announcement.js';
import type { Config } from '../core/config.js';
import type { IncomingDeployment } from '../core/deploy-intake.js';
import { FINAL_STATES, isDeploymentState } from '../core/deployment-state.js';
import {
  readDeployUser,
  readForced,
  readNotifyChannel,
  readNotifyThread,
  readNotifyUser,
  readPullRequestNumber,
} from '../core/payload.js';
import type { AnnouncementStore } from '../core/ports/announcement-store.js';
import type { DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { GitHubPort, LatestDeploymentStatus, ListedDeployment, RepoRef } from '../core/ports/github.js';
import type { LogPort } from '../core/ports/log.js';
import type { Clock } from '../core/scheduler.js';
import type { AnnounceDeploymentStatus } from './announce-deployment-status.js';
import type { ReconcileCiWaits } from './reconcile-ci-waits.js';

/** How far back reconciliation looks: older deployments would not run anyway (MAX_DEPLOYMENT_AGE_MS). */
export const RECONCILE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface ReconcileWithGitHubOptions {
  readonly config: Config;
  readonly github: Pick<GitHubPort, 'listRecentDeployments' | 'getLatestDeploymentStatus'>;
  readonly store: Pick<DeployJobStore, 'getDeployJob'> & Pick<AnnouncementStore, 'getAnnouncement'>;
  readonly clock: Clock;
  readonly repositoryUrl: (fullName: string) => string;
  /** The `deployment` webhook's way in: the deployer's intake rules decide what runs. */
  readonly deploymentArrived: (deployment: IncomingDeployment) => Promise<void>;
  /** The `deployment_status` webhook's announcer: idempotent, so a status is never shown twice. */
  readonly announceDeploymentStatus: AnnounceDeploymentStatus;
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

  async function reconcileDeployment(repo: RepoRef, repository: string, d: ListedDeployment, log: LogPort) {
    const shown = await store.getAnnouncement(d.id);
    // Announced final: nothing runs, and GitHub is not asked again (the `inactive` that may follow
    // a `success` is its webhook's to announce).
    if (shown !== undefined && isDeploymentState(shown.state) && FINAL_STATES.has(shown.state)) return;
    const status = await github.getLatestDeploymentStatus(repo, d.id);
    // One another system already finished is not run now, however it was missed.
    if ((status === undefined || !FINAL_STATES.has(status.state)) && !(await store.getDeployJob(d.id))) {
      await options.deploymentArrived({
        repository,
        id: d.id,
        sha: d.sha,
        ref: d.ref,
        environment: d.environment,
        task: d.task,
        payload: d.payload ?? {},
        createdAt: d.createdAt,
        ...(d.creator === undefined ? {} : { creator: d.creator }),
      });
    }
    if (status === undefined || shown?.statusId === status.id) return;
    await announce(repository, d, status, log);
  }

  function announce(repository: string, d: ListedDeployment, status: LatestDeploymentStatus, log: LogPort) {
    const pullRequest = readPullRequestNumber(d.payload);
    const deployment: DeploymentFacts = {
      id: d.id,
      repository,
      repositoryUrl: options.repositoryUrl(repository),
      ref: d.ref,
      sha: d.sha,
      environment: d.environment,
      task: d.task,
      deployer: readDeployUser(d.payload) ?? d.creator ?? 'someone',
      createdAt: d.createdAt,
      forced: readForced(d.payload),
      ...(pullRequest === undefined ? {} : { pullRequest }),
      ...(d.description === undefined ? {} : { description: d.description }),
    };
    const facts: StatusFacts = status;
    const threadTs = readNotifyThread(d.payload);
    const userId = readNotifyUser(d.payload);
    return options.announceDeploymentStatus({
      deployment,
      status: facts,
      notifyChannel: readNotifyChannel(d.payload),
      ...(threadTs === undefined ? {} : { notifyThreadTs: threadTs }),
      ...(userId === undefined ? {} : { notifyUser: userId }),
      creator: d.creator,
      log,
    });
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
            await reconcileDeployment(
              repo,
              repoConfig.fullName,
              deployment,
              log.child({ deployment: deployment.id }),
            );
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

import type { DeploymentFacts } from '../core/announcement.js';
import type { IncomingDeployment } from '../core/deploy-intake.js';
import { FINAL_STATES } from '../core/deployment-state.js';
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
import type { LatestDeploymentStatus, ListedDeployment } from '../core/ports/github.js';
import type { LogPort } from '../core/ports/log.js';
import type { AnnounceDeploymentStatus } from './announce-deployment-status.js';

/** What reconciliation found on GitHub of one deployment: handled in the inbox, in its repository's turn. */
export interface ReconciledDeployment {
  readonly repository: string;
  readonly deployment: ListedDeployment;
  readonly status?: LatestDeploymentStatus;
}

export interface HandleReconciledDeploymentOptions {
  readonly store: Pick<DeployJobStore, 'getDeployJob'> & Pick<AnnouncementStore, 'getAnnouncement'>;
  readonly repositoryUrl: (fullName: string) => string;
  /** The `deployment` webhook's way in: the deployer's intake rules decide what runs. */
  readonly deploymentArrived: (deployment: IncomingDeployment) => Promise<void>;
  /** The `deployment_status` webhook's announcer: idempotent, so a status is never shown twice. */
  readonly announceDeploymentStatus: AnnounceDeploymentStatus;
}

export type HandleReconciledDeployment = (found: ReconciledDeployment, log: LogPort) => Promise<void>;

/**
 * A deployment deploybot missed, as its webhooks would have had it: taken in if deploybot has no
 * job for it (and no other system finished it), its latest status announced unless it was. Run
 * as a delivery of its repository, so it never races that repository's webhooks for a message.
 */
export function createHandleReconciledDeployment(
  options: HandleReconciledDeploymentOptions,
): HandleReconciledDeployment {
  const { store } = options;
  return async ({ repository, deployment: d, status }, log) => {
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
    if (status === undefined) return;
    const shown = await store.getAnnouncement(d.id);
    if (shown?.statusId === status.id) return;
    const pullRequest = readPullRequestNumber(d.payload);
    const facts: DeploymentFacts = {
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
    const threadTs = readNotifyThread(d.payload);
    const userId = readNotifyUser(d.payload);
    await options.announceDeploymentStatus({
      deployment: facts,
      status,
      notifyChannel: readNotifyChannel(d.payload),
      ...(threadTs === undefined ? {} : { notifyThreadTs: threadTs }),
      ...(userId === undefined ? {} : { notifyUser: userId }),
      creator: d.creator,
      log,
    });
  };
}

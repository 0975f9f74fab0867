import { renderCiWaitExpired, toMergeDeploySubject } from '../core/merge-deploy.js';
import { note } from '../core/message.js';
import type { ChatPort } from '../core/ports/chat.js';
import type { LogPort } from '../core/ports/log.js';
import type { PendingDeploy, PendingDeployStore } from '../core/ports/pending-deploy-store.js';
import type { Clock } from '../core/scheduler.js';
import type { DeployMerge } from './deploy-merge.js';

/** A merge that has waited this long for its checks is dropped: they are not coming. */
export const MAX_CI_WAIT_MS = 24 * 60 * 60 * 1000;
/** Waits looked at per reconciliation; more wait for the next one. */
const LIST_LIMIT = 500;

export interface ReconcileCiWaitsOptions {
  readonly store: PendingDeployStore;
  readonly deployMerge: DeployMerge;
  readonly chat: ChatPort;
  readonly clock: Clock;
  readonly repositoryUrl: (fullName: string) => string;
  readonly log: LogPort;
}

export type ReconcileCiWaits = (signal: AbortSignal) => Promise<void>;

/**
 * Every merge waiting for CI tries again, as a `status` or `check_suite` event would make it:
 * GitHub weighs the commit's statuses and check runs when asked for the deployment, so a
 * missed event leaves no merge waiting for ever. A wait older than a day is dropped and said
 * so in its message and thread. A try that fails is logged; the next reconciliation retries.
 */
export function createReconcileCiWaits(options: ReconcileCiWaitsOptions): ReconcileCiWaits {
  const { store, chat, clock } = options;

  async function expire(pending: PendingDeploy, log: LogPort): Promise<void> {
    const subject = toMergeDeploySubject(pending.request, options.repositoryUrl(pending.repository));
    const content = renderCiWaitExpired(subject, pending.waitingFor);
    if (pending.messageTs === undefined) {
      await chat.postMessage(pending.channel, content);
    } else {
      await chat.updateMessage(pending.channel, pending.messageTs, content);
      // An edit notifies nobody; a line in the thread does.
      await chat.postMessage(pending.channel, note(content.text), { threadTs: pending.messageTs });
    }
    await store.removePendingDeploy(pending.id);
    log.info({ waitingFor: pending.waitingFor }, 'wait for CI over 24 hours old; merge deploy dropped');
  }

  return async (signal) => {
    for (const pending of await store.listAllPendingDeploys(LIST_LIMIT)) {
      if (signal.aborted) return;
      const log = options.log.child({
        repository: pending.repository,
        environment: pending.environment,
        sha: pending.sha,
      });
      try {
        if (clock.now() - pending.createdAt > MAX_CI_WAIT_MS) {
          await expire(pending, log);
          continue;
        }
        await options.deployMerge({
          request: pending.request,
          channel: pending.channel,
          repositoryUrl: options.repositoryUrl(pending.repository),
          pending,
          // Trouble with GitHub now is retried by the next reconciliation, not announced.
          finalAttempt: false,
          log,
        });
      } catch (error) {
        log.warn({ err: error }, 'could not re-check a wait for CI; the next reconciliation tries again');
      }
    }
  };
}

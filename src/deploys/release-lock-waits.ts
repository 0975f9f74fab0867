import { findTarget } from '../core/chat-deploy.js';
import type { Config } from '../core/config.js';
import { openFreeze } from '../core/freeze.js';
import { createKeyedQueue } from '../core/keyed-queue.js';
import { activeLock } from '../core/lock-policy.js';
import { renderFreezeOver, renderLockReleased, toMergeDeploySubject } from '../core/merge-deploy.js';
import type { ChatPort } from '../core/ports/chat.js';
import type { LockStore } from '../core/ports/lock-store.js';
import type { LockWaitStore } from '../core/ports/lock-wait-store.js';
import type { LogPort } from '../core/ports/log.js';
import { repoKey } from '../core/repo-key.js';
import type { Clock } from '../core/scheduler.js';
import type { DeployMerge } from './deploy-merge.js';

export interface ReleaseLockWaitsOptions {
  /** For the environments' freeze windows: a frozen environment's waits stay. */
  readonly config: Config;
  readonly store: LockStore & LockWaitStore;
  readonly chat: ChatPort;
  readonly clock: Clock;
  readonly deployMerge: DeployMerge;
  readonly log: LogPort;
}

/**
 * What an unlock, a lock found lapsed, or a freeze's end (`thawed`) triggers for
 * `repository` and `environment`.
 */
export type ReleaseLockWaits = (repository: string, environment: string, thawed?: boolean) => Promise<void>;

/**
 * A lock went away or a freeze ended: the merged-PR deploys that waited for it go out, in the order they came.
 * A wait is removed only once it is handled; if GitHub is unreachable the rest stay, in
 * order, for the next try (the lock sweep tries again), and the failure is thrown.
 *
 * One release at a time per repository and environment: an unlock and the lock sweep may
 * both start one, and two at once would send the same waiting deploy twice.
 */
export function createReleaseLockWaits(options: ReleaseLockWaitsOptions): ReleaseLockWaits {
  const { store, chat, clock, log } = options;
  const queue = createKeyedQueue();

  function frozen(repository: string, environment: string): boolean {
    const configured = findTarget(options.config, repository, environment);
    return configured !== undefined && openFreeze(configured.environment.freeze, clock.now()) !== undefined;
  }

  async function release(repository: string, environment: string, thawed: boolean): Promise<void> {
    for (const wait of await store.listLockWaits(repository, environment)) {
      if (activeLock(await store.getLock(repository, environment), clock.now()) !== undefined) return;
      if (frozen(repository, environment)) return;
      const { request, repositoryUrl } = wait.request;
      // Not a delivery's try: what GitHub cannot take now stays waiting for the next release.
      await options.deployMerge({
        request,
        channel: wait.channel,
        repositoryUrl,
        releasing: true,
        finalAttempt: false,
        log,
      });
      await store.removeLockWait(wait.id);
      if (wait.messageTs !== undefined) {
        await chat
          .updateMessage(
            wait.channel,
            wait.messageTs,
            (thawed ? renderFreezeOver : renderLockReleased)(toMergeDeploySubject(request, repositoryUrl)),
          )
          .catch((error: unknown) => log.warn({ err: error }, 'could not update the waiting message'));
      }
    }
  }

  return (repository, environment, thawed = false) =>
    queue.run(`${repoKey(repository)}\n${environment}`, () => release(repository, environment, thawed));
}

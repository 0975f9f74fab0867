import { findTarget } from '../core/chat-deploy.js';
import type { Config } from '../core/config.js';
import { toDeploybotError } from '../core/errors.js';
import { openFreeze } from '../core/freeze.js';
import { freezeWaitText } from '../core/freeze-text.js';
import { activeLock, describeLock } from '../core/lock-policy.js';
import { mergeApproved } from '../core/merge-approval.js';
import {
  type CheckContext,
  classifyCheckContexts,
  type DeploymentRequest,
  describeDeployRefusal,
  type LockWaitRequest,
  type MergeDeploySubject,
  renderChecksFailed,
  renderChecksPassed,
  renderDeployRefused,
  renderSuperseded,
  renderWaitingForChecks,
  renderWaitingForFreeze,
  renderWaitingForLock,
  toMergeDeploySubject,
} from '../core/merge-deploy.js';
import type { MessageContent } from '../core/message.js';
import { readPullRequestNumber } from '../core/payload.js';
import { needsApproval } from '../core/policy.js';
import type { ChatPort } from '../core/ports/chat.js';
import type { CreatedDeployment, GitHubPort } from '../core/ports/github.js';
import type { LockStore } from '../core/ports/lock-store.js';
import type { LockWaitStore } from '../core/ports/lock-wait-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { PendingDeploy, PendingDeployStore } from '../core/ports/pending-deploy-store.js';
import type { Clock } from '../core/scheduler.js';
import { findSupersedingMerge } from './find-superseding-merge.js';
import type { RequestMergeApproval } from './request-merge-approval.js';

export interface DeployMergeOptions {
  /** For the environments' freeze windows. */
  readonly config: Config;
  readonly github: GitHubPort;
  readonly chat: ChatPort;
  readonly store: LockStore & LockWaitStore & PendingDeployStore;
  readonly clock: Clock;
  readonly newId: () => string;
  /** Told of every deployment this creates, so the deployer runs it even if its webhook never comes. */
  readonly onDeploymentCreated: (repository: string, deployment: CreatedDeployment) => Promise<void>;
  /** Told when a deploy starts waiting for CI (the reminder after an hour). */
  readonly onWaitingForChecks?: (pending: PendingDeploy) => void;
  /** Environments with `approvals` hold a merge until approved; without this, nothing is held. */
  readonly approvals?: { readonly config: Config; readonly request: RequestMergeApproval };
}

export interface MergeDeployAttempt {
  readonly request: DeploymentRequest;
  readonly channel: string;
  readonly repositoryUrl: string;
  /**
   * True on the last try of a delivery: transient GitHub trouble is then announced as a
   * refusal instead of thrown for the delivery to be retried.
   */
  readonly finalAttempt: boolean;
  /** Lines go to the log of whatever asked for this attempt (a delivery, an unlock). */
  readonly log: LogPort;
  /** Set when this deploy was already waiting for checks. */
  readonly pending?: PendingDeploy;
  /** Set when a lock went away and this deploy, which waited for it, goes out now. */
  readonly releasing?: boolean;
}

export type DeployMerge = (attempt: MergeDeployAttempt) => Promise<void>;

/**
 * Asks GitHub for a deployment on behalf of a merged pull request and says in chat what
 * happened: created, waiting for a lock or for CI (kept in the store until it is released
 * or the checks report), or not deployed and why. Transient GitHub trouble is thrown so the
 * delivery is retried, unless this is its final attempt.
 */
export function createDeployMerge(options: DeployMergeOptions): DeployMerge {
  const { github, chat, store, clock } = options;

  /** Held until the lock is released or the freeze ends (`content` says which): kept in order with the others. */
  async function waitForLock(
    attempt: MergeDeployAttempt,
    subject: MergeDeploySubject,
    content: MessageContent,
  ) {
    const { request, channel } = attempt;
    const posted = await chat.postMessage(channel, content);
    await store.saveLockWait({
      id: options.newId(),
      repository: subject.repository,
      environment: request.environment,
      request: { request, repositoryUrl: attempt.repositoryUrl } satisfies LockWaitRequest,
      channel,
      messageTs: posted.ts,
      createdAt: clock.now(),
    });
    if (attempt.pending) await store.removePendingDeploy(attempt.pending.id);
  }

  async function waitForChecks(
    attempt: MergeDeployAttempt,
    subject: MergeDeploySubject,
    waiting: readonly CheckContext[],
  ): Promise<void> {
    const names = waiting.map((c) => c.context);
    const previous = attempt.pending;
    const changed = previous === undefined || previous.waitingFor.join('\n') !== names.join('\n');
    let messageTs = previous?.messageTs;
    const content = renderWaitingForChecks(subject, waiting);
    if (messageTs === undefined) {
      messageTs = (await chat.postMessage(attempt.channel, content)).ts;
    } else if (changed) {
      await chat.updateMessage(previous?.channel ?? attempt.channel, messageTs, content);
    }
    const saved: PendingDeploy = {
      id: previous?.id ?? options.newId(),
      repository: subject.repository,
      sha: attempt.request.ref,
      environment: attempt.request.environment,
      request: attempt.request,
      channel: previous?.channel ?? attempt.channel,
      messageTs,
      waitingFor: names,
      createdAt: previous?.createdAt ?? clock.now(),
    };
    await store.savePendingDeploy(saved);
    if (previous === undefined) options.onWaitingForChecks?.(saved);
  }

  /** Ends a wait for CI: its message says how it ended, or a new one does if it had none. */
  async function settle(pending: PendingDeploy, content: MessageContent): Promise<void> {
    if (pending.messageTs !== undefined)
      await chat.updateMessage(pending.channel, pending.messageTs, content);
    else await chat.postMessage(pending.channel, content);
    await store.removePendingDeploy(pending.id);
  }

  async function settleOrPost(attempt: MergeDeployAttempt, content: MessageContent): Promise<void> {
    if (attempt.pending) await settle(attempt.pending, content);
    else await chat.postMessage(attempt.channel, content);
  }

  /** Asks for the approvals a merge still needs before anything reaches GitHub; true when it did. */
  async function heldForApproval(attempt: MergeDeployAttempt, repository: string): Promise<boolean> {
    const { approvals } = options;
    const { request } = attempt;
    if (approvals === undefined) return false;
    const environment = findTarget(approvals.config, repository, request.environment)?.environment;
    const pullRequest = readPullRequestNumber(request.payload);
    if (environment === undefined || pullRequest === undefined || !needsApproval(environment)) return false;
    if (mergeApproved(approvals.config, environment, request)) return false;
    await approvals.request({
      request,
      channel: attempt.channel,
      repositoryUrl: attempt.repositoryUrl,
      pullRequest,
    });
    return true;
  }

  return async (attempt) => {
    const { request } = attempt;
    const subject = toMergeDeploySubject(request, attempt.repositoryUrl);
    const { repository } = subject;
    const log = attempt.log.child({ repository, environment: request.environment, sha: request.ref });
    if (await heldForApproval(attempt, repository)) {
      log.info({}, 'merge deploy waits for approval');
      return;
    }
    const now = clock.now();
    const lock = activeLock(await store.getLock(repository, request.environment), now);
    const configured = findTarget(options.config, repository, request.environment);
    const freeze = configured && openFreeze(configured.environment.freeze, now);
    // Deploys that already wait for this environment go first, even if the lock has just lapsed.
    const queued = attempt.releasing ? [] : await store.listLockWaits(repository, request.environment);
    if (lock === undefined && freeze !== undefined) {
      const held = renderWaitingForFreeze(subject, freezeWaitText(request.environment, freeze, now));
      await waitForLock(attempt, subject, held);
      log.info({ until: new Date(freeze.end).toISOString() }, 'merge deploy waits for the freeze to end');
      return;
    }
    if (lock !== undefined || queued.length > 0) {
      const why =
        lock === undefined ? 'Earlier deploys wait for the lock to be released.' : describeLock(lock, now);
      await waitForLock(attempt, subject, renderWaitingForLock(subject, why));
      log.info({ holder: lock?.holder }, 'merge deploy waits for the environment to be unlocked');
      return;
    }
    let deployment: CreatedDeployment;
    try {
      // A commit that waited for CI while a later merge went out would roll that merge back.
      const superseded = attempt.pending && (await findSupersedingMerge(github, attempt.pending));
      if (attempt.pending && superseded) {
        log.info({ supersededBy: superseded }, 'merge deploy superseded by a later merge; dropped');
        await settle(attempt.pending, renderSuperseded(subject, superseded));
        return;
      }
      // A retried delivery must not deploy the same merge twice: GitHub already has it if an earlier try got that far.
      deployment =
        (await github.findDeployment(
          { owner: request.owner, repo: request.repo },
          request.ref,
          request.environment,
        )) ?? (await github.createDeployment(request));
    } catch (thrown) {
      const error = toDeploybotError(thrown);
      if (error.code === 'github_checks_failed') {
        const contexts = (error.details.contexts ?? []) as CheckContext[];
        const { failed, waiting } = classifyCheckContexts(contexts);
        if (failed.length > 0) {
          log.info({ failed }, 'required checks failed; merge deploy dropped');
          await settleOrPost(attempt, renderChecksFailed(subject, failed));
          return;
        }
        await waitForChecks(attempt, subject, waiting);
        log.info({ waiting }, 'merge deploy waits for checks');
        return;
      }
      if (error.retryable && !attempt.finalAttempt) throw error;
      const reason = describeDeployRefusal(error);
      log.warn({ code: error.code, reason }, 'merge deploy refused by GitHub');
      await settleOrPost(attempt, renderDeployRefused(subject, reason));
      return;
    }
    log.info({ deployment: deployment.id }, 'deployment for merged pull request');
    // The deployment exists now: nothing below may throw, or a retry would look for it again for nothing.
    try {
      await options.onDeploymentCreated(repository, deployment);
      if (attempt.pending) await settle(attempt.pending, renderChecksPassed(subject, deployment.id));
    } catch (error) {
      log.error(
        { err: error, deployment: deployment.id },
        'deployment created, but telling the deployer or Slack failed',
      );
    }
  };
}

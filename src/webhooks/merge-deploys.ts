import { type DeploybotError, presentError, toDeploybotError } from '../core/errors.js';
import { activeLock, describeLock } from '../core/lock-policy.js';
import {
  type CheckContext,
  classifyCheckContexts,
  type DeploymentRequest,
  type MergeDeploySubject,
  renderChecksFailed,
  renderChecksPassed,
  renderDeployRefused,
  renderLockReleased,
  renderWaitingForChecks,
  renderWaitingForLock,
} from '../core/merge-deploy.js';
import type { MessageContent } from '../core/message.js';
import { readPullRequestNumber } from '../core/payload.js';
import type { CreatedDeployment } from '../core/ports/github.js';
import type { PendingDeploy } from '../core/ports/pending-deploy-store.js';
import { createDeployment } from '../github/deployments.js';
import { findDeployment } from '../github/repos.js';
import type { WebhookContext } from './context.js';

export interface MergeDeployAttempt {
  readonly request: DeploymentRequest;
  readonly channel: string;
  readonly repositoryUrl: string;
  /** Set when this deploy was already waiting for checks. */
  readonly pending?: PendingDeploy;
  /** Set when a lock went away and this deploy, which waited for it, goes out now. */
  readonly releasing?: boolean;
}

/**
 * Asks GitHub for a deployment on behalf of a merged pull request and says in Slack what
 * happened: created, waiting for CI (kept in the store until the checks report), or not
 * deployed and why. Transient GitHub trouble is thrown so the delivery is retried.
 */
export async function attemptMergeDeploy(ctx: WebhookContext, attempt: MergeDeployAttempt): Promise<void> {
  const { request, channel } = attempt;
  const repository = `${request.owner}/${request.repo}`;
  const subject: MergeDeploySubject = {
    repository,
    repositoryUrl: attempt.repositoryUrl,
    environment: request.environment,
    sha: request.ref,
    ...withPullRequest(readPullRequestNumber(request.payload)),
  };
  const log = ctx.logger.child({ repository, environment: request.environment, sha: request.ref });
  const lock = activeLock(await ctx.store.getLock(repository, request.environment), ctx.clock.now());
  // Deploys that already wait for this environment go first, even if the lock has just lapsed.
  const queued = attempt.releasing ? [] : await ctx.store.listLockWaits(repository, request.environment);
  if (lock !== undefined || queued.length > 0) {
    const why =
      lock === undefined
        ? 'Earlier deploys wait for the lock to be released.'
        : describeLock(lock, ctx.clock.now());
    const messageTs = await ctx.announcer.postMessage(channel, renderWaitingForLock(subject, why));
    await ctx.store.saveLockWait({
      id: ctx.newId(),
      repository,
      environment: request.environment,
      request: { request, repositoryUrl: attempt.repositoryUrl } satisfies LockWaitRequest,
      channel,
      messageTs,
      createdAt: ctx.clock.now(),
    });
    if (attempt.pending) await ctx.store.removePendingDeploy(attempt.pending.id);
    log.info({ holder: lock?.holder }, 'merge deploy waits for the environment to be unlocked');
    return;
  }
  let deployment: CreatedDeployment;
  try {
    // A retried delivery must not deploy the same merge twice: GitHub already has it if an earlier try got that far.
    deployment =
      (await findDeployment(
        ctx.github,
        { owner: request.owner, repo: request.repo },
        request.ref,
        request.environment,
      )) ?? (await createDeployment(ctx.github, request));
  } catch (thrown) {
    const error = toDeploybotError(thrown);
    if (error.code === 'github_checks_failed') {
      const contexts = (error.details.contexts ?? []) as CheckContext[];
      const { failed, waiting } = classifyCheckContexts(contexts);
      if (failed.length > 0) {
        log.info({ failed }, 'required checks failed; merge deploy dropped');
        await settleOrPost(ctx, attempt, channel, renderChecksFailed(subject, failed));
        return;
      }
      await wait(ctx, attempt, subject, waiting);
      log.info({ waiting }, 'merge deploy waits for checks');
      return;
    }
    if (error.retryable && !ctx.finalAttempt) throw error;
    const reason = describeRefusal(error);
    log.warn({ code: error.code, reason }, 'merge deploy refused by GitHub');
    await settleOrPost(ctx, attempt, channel, renderDeployRefused(subject, reason));
    return;
  }
  log.info({ deployment: deployment.id }, 'deployment for merged pull request');
  // The deployment exists now: nothing below may throw, or a retry would look for it again for nothing.
  try {
    await ctx.onDeploymentCreated(repository, deployment);
    if (attempt.pending) await settle(ctx, attempt.pending, renderChecksPassed(subject, deployment.id));
  } catch (error) {
    log.error(
      { err: error, deployment: deployment.id },
      'deployment created, but telling the deployer or Slack failed',
    );
  }
}

function describeRefusal(error: DeploybotError): string {
  const text = presentError(error).text;
  const githubMessage = error.details.githubMessage;
  return typeof githubMessage === 'string' && !text.includes(githubMessage)
    ? `${text} GitHub said: "${githubMessage}"`
    : text;
}

async function wait(
  ctx: WebhookContext,
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
    messageTs = await ctx.announcer.postMessage(attempt.channel, content);
  } else if (changed) {
    await ctx.announcer.updateMessage(previous?.channel ?? attempt.channel, messageTs, content);
  }
  await ctx.store.savePendingDeploy({
    id: previous?.id ?? ctx.newId(),
    repository: subject.repository.toLowerCase(),
    sha: attempt.request.ref,
    environment: attempt.request.environment,
    request: attempt.request,
    channel: previous?.channel ?? attempt.channel,
    messageTs,
    waitingFor: names,
    createdAt: previous?.createdAt ?? ctx.clock.now(),
  });
}

async function settle(ctx: WebhookContext, pending: PendingDeploy, content: MessageContent): Promise<void> {
  if (pending.messageTs !== undefined)
    await ctx.announcer.updateMessage(pending.channel, pending.messageTs, content);
  else await ctx.announcer.postMessage(pending.channel, content);
  await ctx.store.removePendingDeploy(pending.id);
}

async function settleOrPost(
  ctx: WebhookContext,
  attempt: MergeDeployAttempt,
  channel: string,
  content: MessageContent,
): Promise<void> {
  if (attempt.pending) await settle(ctx, attempt.pending, content);
  else await ctx.announcer.postMessage(channel, content);
}

function withPullRequest(pullRequest: number | undefined): { pullRequest?: number } {
  return pullRequest === undefined ? {} : { pullRequest };
}

/** Retries every deploy that waits on this commit; called when one of its checks reports. */
export async function retryPendingDeploys(
  ctx: WebhookContext,
  repository: string,
  repositoryUrl: string,
  sha: string,
): Promise<void> {
  const pending = await ctx.store.listPendingDeploys(repository.toLowerCase(), sha);
  for (const p of pending) {
    const request = p.request as DeploymentRequest;
    await attemptMergeDeploy(ctx, { request, channel: p.channel, repositoryUrl, pending: p });
  }
}

interface LockWaitRequest {
  readonly request: DeploymentRequest;
  readonly repositoryUrl: string;
}

/**
 * A lock went away: the merged-PR deploys that waited for it go out, in the order they came.
 * A wait is removed only once it is handled; if GitHub is unreachable the rest stay, in
 * order, for the next try (the lock sweep tries again).
 */
/**
 * One release at a time per repository and environment: an unlock and the lock sweep may
 * both start one, and two at once would send the same waiting deploy twice.
 */
export function createLockReleaser(ctx: WebhookContext) {
  const running = new Map<string, Promise<void>>();
  return (repository: string, environment: string): Promise<void> => {
    const key = `${repository.toLowerCase()}\n${environment}`;
    const next = (running.get(key) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => releaseLockWaits(ctx, repository, environment));
    const settled = next.catch(() => undefined);
    running.set(key, settled);
    void settled.then(() => {
      if (running.get(key) === settled) running.delete(key);
    });
    return next;
  };
}

async function releaseLockWaits(ctx: WebhookContext, repository: string, environment: string): Promise<void> {
  for (const wait of await ctx.store.listLockWaits(repository, environment)) {
    if (activeLock(await ctx.store.getLock(repository, environment), ctx.clock.now()) !== undefined) return;
    const { request, repositoryUrl } = wait.request as LockWaitRequest;
    await attemptMergeDeploy(ctx, { request, channel: wait.channel, repositoryUrl, releasing: true });
    await ctx.store.removeLockWait(wait.id);
    if (wait.messageTs !== undefined) {
      const subject = {
        repository: `${request.owner}/${request.repo}`,
        repositoryUrl,
        environment: request.environment,
        sha: request.ref,
        ...withPullRequest(readPullRequestNumber(request.payload)),
      };
      await ctx.announcer
        .updateMessage(wait.channel, wait.messageTs, renderLockReleased(subject))
        .catch((error: unknown) => ctx.logger.warn({ err: error }, 'could not update the waiting message'));
    }
  }
}

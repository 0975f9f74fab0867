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
import { createDeployment } from '../github/deployments.js';
import type { PendingDeploy } from '../store/pending-deploys.js';
import type { WebhookContext } from './context.js';

export interface MergeDeployAttempt {
  readonly request: DeploymentRequest;
  readonly channel: string;
  readonly repositoryUrl: string;
  /** Set when this deploy was already waiting for checks. */
  readonly pending?: PendingDeploy;
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
  if (lock !== undefined) {
    const messageTs = await ctx.announcer.postMessage(
      channel,
      renderWaitingForLock(subject, describeLock(lock, ctx.clock.now())),
    );
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
    log.info({ holder: lock.holder }, 'merge deploy waits for the environment to be unlocked');
    return;
  }
  try {
    const deployment = await createDeployment(ctx.github, request);
    log.info({ deployment: deployment.id }, 'deployment created for merged pull request');
    if (attempt.pending) {
      await settle(ctx, attempt.pending, renderChecksPassed(subject, deployment.id));
    }
    await ctx.onDeploymentCreated(repository, deployment);
    return;
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

/** A lock went away: the merged-PR deploys that waited for it go out, in the order they came. */
export async function releaseLockWaits(
  ctx: WebhookContext,
  repository: string,
  environment: string,
): Promise<void> {
  for (const wait of await ctx.store.listLockWaits(repository, environment)) {
    if (activeLock(await ctx.store.getLock(repository, environment), ctx.clock.now()) !== undefined) return;
    // Another replica may be releasing the same wait; whoever removes it sends it.
    if (!(await ctx.store.removeLockWait(wait.id))) continue;
    const { request, repositoryUrl } = wait.request as LockWaitRequest;
    if (wait.messageTs !== undefined) {
      const subject = {
        repository: `${request.owner}/${request.repo}`,
        repositoryUrl,
        environment: request.environment,
        sha: request.ref,
        ...withPullRequest(readPullRequestNumber(request.payload)),
      };
      await ctx.announcer.updateMessage(wait.channel, wait.messageTs, renderLockReleased(subject));
    }
    await attemptMergeDeploy(ctx, { request, channel: wait.channel, repositoryUrl });
  }
}

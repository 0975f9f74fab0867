import { buildChatDeploymentRequest, type ChatDeployPlan } from '../core/chat-deploy.js';
import { renderGitHubError, renderRefusal } from '../core/command-replies.js';
import { renderApprovalRequest, renderConfirmation } from '../core/command-replies-confirm.js';
import type { EnvironmentConfig, RepoConfig } from '../core/config.js';
import { toDeploybotError } from '../core/errors.js';
import { checkLock } from '../core/lock-policy.js';
import { escapeMrkdwn, type MessageContent, mrkdwn } from '../core/message.js';
import {
  approvalsMissing,
  CONFIRMATION_TTL_MS,
  canForce,
  checkDeployPermission,
  isAdmin,
  mention,
  needsApproval,
  needsConfirmation,
} from '../core/policy.js';
import type { ConfirmationStore } from '../core/ports/confirmation-store.js';
import type { CreatedDeployment } from '../core/ports/github.js';
import type { LockStore } from '../core/ports/lock-store.js';
import type { Announcer } from '../core/ports.js';
import type { Clock } from '../core/scheduler.js';
import type { GitHubClient } from '../github/client.js';
import { createDeployment } from '../github/deployments.js';
import { compareCommits, getDefaultBranch, listDeployments, resolveCommit } from '../github/repos.js';
import type { Logger } from '../logger.js';
import type { Replier } from './replies.js';
import type { UserGroupResolver } from './user-groups.js';

export type ConfirmationKind = 'deploy' | 'force' | 'approval';

const APPROVAL_TTL_MS = 12 * 60 * 60 * 1000;

export interface ChatDeploysOptions {
  readonly github: GitHubClient;
  readonly store: LockStore & ConfirmationStore;
  readonly groups: UserGroupResolver;
  readonly announcer: Announcer;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly githubWebUrl: string;
  readonly logger: Logger;
  readonly onDeploymentCreated: (repository: string, deployment: CreatedDeployment) => Promise<void>;
}

export interface DeployAsk {
  readonly repo: RepoConfig;
  readonly environment: EnvironmentConfig;
  readonly ref?: string;
  /** A rollback names the exact commit to go back to. */
  readonly sha?: string;
  readonly force: boolean;
  readonly rollback: boolean;
  readonly userId: string;
  readonly deployUser: string;
  readonly channel: string;
  readonly threadTs?: string;
}

/**
 * A deploy asked for in Slack: permission, lock, ref, then confirmation and approval where
 * the environment wants them, then GitHub. Every outcome is answered in words.
 */
export function createChatDeploys(options: ChatDeploysOptions) {
  const { github, store, clock, logger } = options;
  const repositoryUrl = (repository: string) => `${options.githubWebUrl}/${repository}`;

  const askerOf = options.groups.askerFor;

  /** Keeps a plan until its button is pressed; the id the button carries. */
  async function openConfirmation(
    kind: ConfirmationKind,
    plan: ChatDeployPlan,
    ttlMs: number,
  ): Promise<string> {
    const id = options.newId();
    const now = clock.now();
    await store.saveConfirmation({
      id,
      kind,
      userId: plan.userId,
      channel: plan.channel,
      request: plan,
      createdAt: now,
      expiresAt: now + ttlMs,
    });
    return id;
  }

  /** Checks that may change while a button waits, so they run again when it is pressed. */
  async function refusal(
    plan: Pick<ChatDeployPlan, 'repository' | 'environment' | 'userId' | 'force'>,
    environment: EnvironmentConfig,
  ): Promise<string | undefined> {
    const asker = await askerOf(environment, plan.userId);
    const permission = checkDeployPermission(asker);
    if (!permission.allowed) return permission.reason;
    if (plan.force) {
      const force = canForce(asker);
      if (!force.allowed) return force.reason;
    }
    const lock = await store.getLock(plan.repository, plan.environment);
    const locked = checkLock(lock, { userId: plan.userId, isAdmin: isAdmin(asker), now: clock.now() });
    return locked.ok ? undefined : locked.reason;
  }

  async function requestDeploy(ask: DeployAsk, reply: Replier): Promise<void> {
    const { repo, environment } = ask;
    const target = { owner: repo.owner, repo: repo.name };
    const subject = {
      repository: repo.fullName,
      environment: environment.name,
      ...(ask.ref ? { ref: ask.ref } : {}),
    };
    const draft = {
      repository: repo.fullName,
      environment: environment.name,
      userId: ask.userId,
      force: ask.force,
    };
    const refused = await refusal(draft, environment);
    if (refused !== undefined) return reply.private(renderRefusal({ reason: refused }));

    let ref: string;
    let sha: string;
    try {
      ref = ask.ref ?? ask.sha ?? (await getDefaultBranch(github, target));
      sha = ask.sha ?? (await resolveCommit(github, target, ref));
    } catch (error) {
      return reply.private(renderGitHubError(toDeploybotError(error), subject));
    }
    const plan: ChatDeployPlan = {
      repository: repo.fullName,
      owner: repo.owner,
      repo: repo.name,
      environment: environment.name,
      ref,
      sha,
      force: ask.force,
      rollback: ask.rollback,
      userId: ask.userId,
      deployUser: ask.deployUser,
      channel: ask.channel,
      ...(ask.threadTs === undefined ? {} : { threadTs: ask.threadTs }),
      confirmed: false,
      approvedBy: [],
    };
    if (needsConfirmation(environment)) return promptConfirmation(plan, environment, reply);
    return proceed(plan, environment, reply);
  }

  async function promptConfirmation(plan: ChatDeployPlan, environment: EnvironmentConfig, reply: Replier) {
    const target = { owner: plan.owner, repo: plan.repo };
    let currentSha: string | undefined;
    let commits: { sha: string; message: string; author: string }[] = [];
    let totalCommits = 0;
    let compareUrl: string | undefined;
    let behindBy = 0;
    let compareFailed = false;
    try {
      const recent = await listDeployments(github, target, { environment: environment.name, limit: 20 });
      currentSha = recent.find((d) => d.state === 'success')?.sha;
    } catch (error) {
      return reply.private(renderGitHubError(toDeploybotError(error), plan));
    }
    if (currentSha !== undefined && currentSha !== plan.sha) {
      try {
        const comparison = await compareCommits(github, target, currentSha, plan.sha);
        commits = comparison.commits.map((c) => ({ sha: c.sha, message: c.title, author: c.author }));
        totalCommits = comparison.totalCommits;
        compareUrl = comparison.htmlUrl;
        behindBy = comparison.behindBy;
      } catch (error) {
        // Commits that history rewrites dropped cannot be compared; the prompt says so rather than refuse.
        logger.warn(
          { err: error, repository: plan.repository },
          'could not compare commits for a confirmation',
        );
        compareFailed = true;
      }
    }
    const id = await openConfirmation('deploy', plan, CONFIRMATION_TTL_MS);
    return reply.private(
      renderConfirmation({
        id,
        repository: plan.repository,
        repositoryUrl: repositoryUrl(plan.repository),
        environment: plan.environment,
        ref: plan.ref,
        sha: plan.sha,
        ...(currentSha === undefined ? {} : { currentSha }),
        commits,
        totalCommits,
        ...(compareUrl === undefined ? {} : { compareUrl }),
        behindBy,
        compareFailed,
        forced: plan.force,
        rollback: plan.rollback,
      }),
    );
  }

  /** After confirmation: ask for approvals where needed, else deploy. */
  async function proceed(
    plan: ChatDeployPlan,
    environment: EnvironmentConfig,
    reply: Replier,
  ): Promise<void> {
    const missing = approvalsMissing(environment, plan.userId, plan.approvedBy);
    if (needsApproval(environment) && missing > 0) {
      // An approval may take a while to come; it expires with the working day.
      const id = await openConfirmation('approval', plan, APPROVAL_TTL_MS);
      const approvers = [...(environment.deployers ?? []), ...environment.admins].map(mention);
      await options.announcer.postMessage(
        plan.channel,
        renderApprovalRequest({
          id,
          requesterId: plan.userId,
          repository: plan.repository,
          repositoryUrl: repositoryUrl(plan.repository),
          environment: plan.environment,
          ref: plan.ref,
          sha: plan.sha,
          approvalsMissing: missing,
          approvers: [...new Set(approvers)],
        }),
        plan.threadTs === undefined ? {} : { threadTs: plan.threadTs },
      );
      return reply.private(
        note(`:raised_hand: Approval requested in <#${plan.channel}>; it deploys once approved.`),
      );
    }
    return create(plan, environment, reply);
  }

  async function create(plan: ChatDeployPlan, environment: EnvironmentConfig, reply: Replier): Promise<void> {
    const request = buildChatDeploymentRequest(plan, environment);
    let deployment: CreatedDeployment;
    try {
      deployment = await createDeployment(github, request);
    } catch (thrown) {
      const error = toDeploybotError(thrown);
      logger.info(
        { code: error.code, repository: plan.repository, environment: plan.environment },
        'chat deploy refused',
      );
      let forceValue: string | undefined;
      if (error.code === 'github_checks_failed' && !plan.force) {
        const asker = await askerOf(environment, plan.userId);
        if (canForce(asker).allowed) {
          forceValue = await openConfirmation('force', { ...plan, force: true }, CONFIRMATION_TTL_MS);
        }
      }
      return reply.private(
        renderGitHubError(error, {
          repository: plan.repository,
          environment: plan.environment,
          ref: plan.ref,
          ...(forceValue === undefined ? {} : { forceValue }),
        }),
      );
    }
    logger.info(
      { deployment: deployment.id, repository: plan.repository, environment: plan.environment },
      'chat deploy created',
    );
    await options.onDeploymentCreated(plan.repository, deployment);
    return reply.private(
      note(
        `:rocket: Deployment ${deployment.id} of *${escapeMrkdwn(plan.repository)}* \`${escapeMrkdwn(plan.ref)}\` to *${escapeMrkdwn(plan.environment)}* created; its progress is announced in <#${plan.channel}>.`,
      ),
    );
  }

  return { requestDeploy, refusal, proceed, askerOf };
}

export type ChatDeploys = ReturnType<typeof createChatDeploys>;

export function note(text: string): MessageContent {
  return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

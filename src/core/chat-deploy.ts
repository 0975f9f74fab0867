import type { Config, EnvironmentConfig, RepoConfig } from './config.js';
import { channelFor, findEnvironment, findRepo } from './config-lookup.js';
import type { FreezePeriod } from './freeze.js';
import { fitGitHubDescription } from './github-limits.js';
import type { Lock } from './lock.js';
import { checkLock } from './lock-policy.js';
import type { DeploymentRequest } from './merge-deploy.js';
import { type Asker, canForce, checkDeployPermission, isAdmin, mention, unique } from './policy.js';
import type { Refusal } from './refusal.js';

/** A deploy asked for in Slack, as decided before GitHub is asked; kept while a button is pending. */
export interface ChatDeployPlan {
  readonly repository: string;
  readonly owner: string;
  readonly repo: string;
  readonly environment: string;
  /** As typed, or the default branch. */
  readonly ref: string;
  /** The commit `ref` named when it was checked; what a confirmation showed. */
  readonly sha: string;
  readonly force: boolean;
  readonly rollback: boolean;
  /** Slack user ID of the asker. */
  readonly userId: string;
  /** GitHub login of the asker, else their Slack handle. */
  readonly deployUser: string;
  /** Where the deployment is announced. */
  readonly channel: string;
  readonly threadTs?: string;
  /** The thread the deployment is announced in: a mention's thread, when it was asked in one. */
  readonly announceThreadTs?: string;
  /** Whether the asker confirmed what ships: then exactly that sha is deployed. */
  readonly confirmed: boolean;
  /** Slack user IDs who approved, for environments that need approvals. */
  readonly approvedBy: readonly string[];
  /** Set for a merged pull request's deploy waiting for approval: what goes to GitHub once approved. */
  readonly merge?: MergeApproval;
}

/** A merge deploy held for approval: its request as the merge planned it, and whose merge it was. */
export interface MergeApproval {
  readonly request: DeploymentRequest;
  readonly repositoryUrl: string;
  readonly pullRequest: number;
  /** The pull request's author (GitHub login), who may not approve it. */
  readonly author: string;
}

export function buildChatDeploymentRequest(
  plan: ChatDeployPlan,
  environment: EnvironmentConfig,
): DeploymentRequest {
  const verb = plan.rollback ? 'Roll back' : 'Deploy';
  const pinned = plan.rollback || plan.confirmed || plan.approvedBy.length > 0;
  return {
    owner: plan.owner,
    repo: plan.repo,
    // What someone confirmed or approved is the commit they were shown, even if the branch moved since.
    ref: pinned ? plan.sha : plan.ref,
    environment: plan.environment,
    task: 'deploy',
    auto_merge: false,
    ...(plan.force
      ? { required_contexts: [] }
      : environment.requiredContexts === undefined
        ? {}
        : { required_contexts: [...environment.requiredContexts] }),
    description: fitGitHubDescription(
      `${verb} ${plan.ref} to ${plan.environment} for ${plan.deployUser} from Slack${plan.force ? ' (forced)' : ''}`,
    ),
    production_environment: environment.production,
    payload: {
      deploy_user: plan.deployUser,
      ...(plan.force ? { forced: true } : {}),
      ...(plan.rollback ? { rollback: true } : {}),
      ...(plan.approvedBy.length > 0 ? { approved_by: [...plan.approvedBy] } : {}),
      notify: {
        adapter: 'slack',
        channel: plan.channel,
        user: plan.userId,
        ...(plan.announceThreadTs === undefined ? {} : { thread_ts: plan.announceThreadTs }),
      },
    },
  };
}

/**
 * The checks of a chat deploy that may change while a button waits (permission, forcing,
 * the lock, a freeze), so they run when it is asked for and again when its button is pressed.
 * During a freeze only a forced deploy (`!`, admins only) goes ahead.
 */
export function checkChatDeploy(
  asker: Asker,
  facts: {
    readonly force: boolean;
    readonly lock: Lock | undefined;
    readonly now: number;
    readonly freeze?: FreezePeriod | undefined;
  },
): Refusal | undefined {
  const permission = checkDeployPermission(asker);
  if (!permission.allowed) return permission;
  if (facts.freeze !== undefined && !facts.force) {
    const whoMay = unique(asker.environment.admins).map(mention);
    return {
      rule: 'frozen',
      environment: asker.environment.name,
      freeze: facts.freeze,
      now: facts.now,
      whoMay,
    };
  }
  if (facts.force) {
    const force = canForce(asker);
    if (!force.allowed) return force;
  }
  const locked = checkLock(facts.lock, { userId: asker.userId, isAdmin: isAdmin(asker), now: facts.now });
  return locked.ok ? undefined : locked;
}

/** Announce where the command was typed; a direct message falls back to the repository's channel. */
export function announcementChannel(config: Config, channel: string, repository: string): string {
  return channel.startsWith('C') || channel.startsWith('G') ? channel : channelFor(config, repository);
}

/** The repository and environment a pending plan or a lock names, if deploybot.yml still has them. */
export function findTarget(
  config: Config,
  repository: string,
  environment: string,
): { readonly repo: RepoConfig; readonly environment: EnvironmentConfig } | undefined {
  const repo = findRepo(config, repository);
  const env = repo && findEnvironment(repo, environment);
  return repo && env ? { repo, environment: env } : undefined;
}

/** Who asked in chat, and where. */
export interface ChatAsker {
  /** Slack user ID. */
  readonly userId: string;
  /** Their Slack handle when the request carried it (slash commands do, mentions do not). */
  readonly userName?: string;
  /** Where they asked: a channel, or a direct message. */
  readonly channel: string;
  /** The thread of a mention, where answers go (a top-level mention's own ts starts one). */
  readonly threadTs?: string;
  /** The mention was a reply in a thread: its deployment is announced there too. */
  readonly inThread?: boolean;
}

/**
 * Who may do what, decided from plain inputs: the config, Slack IDs and times. A refusal
 * is data (see refusal.ts) and says, where it helps, who may do it instead.
 */
import type { Config, EnvironmentConfig } from './config.js';
import { HOUR_MS, MINUTE_MS } from './duration.js';
import { activeLock, type Lock } from './lock.js';
import { SLACK_USERGROUP_ID } from './names.js';
import type { PermissionRefusal } from './refusal.js';
import type { UserStanding } from './user-standing.js';

export type Permission = { readonly allowed: true } | ({ readonly allowed: false } & PermissionRefusal);

export interface Identity {
  readonly slackUserId: string;
  readonly githubLogin?: string;
  /** The deployment payload's `deploy_user`: the GitHub login, else the Slack handle. */
  readonly deployUser: string;
}

export function identify(config: Config, slackUserId: string, slackHandle: string): Identity {
  const githubLogin = config.users[slackUserId];
  return githubLogin === undefined
    ? { slackUserId, deployUser: slackHandle }
    : { slackUserId, githubLogin, deployUser: githubLogin };
}

/** `<@U…>` for people, `<!subteam^S…>` for user groups. */
export function mention(id: string): string {
  return SLACK_USERGROUP_ID.test(id) ? `<!subteam^${id}>` : `<@${id}>`;
}

export interface Asker {
  readonly environment: EnvironmentConfig;
  readonly userId: string;
  /** The Slack user groups the user belongs to (S… IDs); none count for a guest or an outsider. */
  readonly userGroups: readonly string[];
  readonly standing: UserStanding;
}

/**
 * Guests and users of other workspaces are nobody unless the environment lists them by
 * user ID in `deployers` or `admins`: groups do not admit them, nor does a missing `deployers`.
 */
export function checkMembership(asker: Pick<Asker, 'environment' | 'userId' | 'standing'>): Permission {
  const { environment, userId, standing } = asker;
  if (standing === 'member') return { allowed: true };
  if ((environment.deployers ?? []).includes(userId) || environment.admins.includes(userId)) {
    return { allowed: true };
  }
  return { allowed: false, rule: 'not_a_member', standing, environment: environment.name, whoMay: [] };
}

/** For commands that name no environment: a guest or outsider needs an environment listing them by ID. */
export function checkWorkspaceMembership(
  config: Config,
  user: { readonly userId: string; readonly standing: UserStanding },
): Permission {
  if (user.standing === 'member') return { allowed: true };
  const listedSomewhere = config.repos.some((repo) =>
    repo.environments.some((environment) => checkMembership({ environment, ...user }).allowed),
  );
  if (listedSomewhere) return { allowed: true };
  return { allowed: false, rule: 'not_a_member', standing: user.standing, whoMay: [] };
}

function listed(ids: readonly string[] | undefined, userId: string, userGroups: readonly string[]): boolean {
  return ids !== undefined && (ids.includes(userId) || userGroups.some((group) => ids.includes(group)));
}

export function isAdmin({ environment, userId, userGroups }: Asker): boolean {
  return listed(environment.admins, userId, userGroups);
}

/** Deployers absent: everyone. Admins may always deploy. */
export function checkDeployPermission(asker: Asker): Permission {
  const membership = checkMembership(asker);
  if (!membership.allowed) return membership;
  const { environment, userId, userGroups } = asker;
  if (environment.deployers === undefined) return { allowed: true };
  if (listed(environment.deployers, userId, userGroups) || isAdmin(asker)) return { allowed: true };
  const whoMay = unique([...environment.deployers, ...environment.admins]).map(mention);
  return { allowed: false, rule: 'not_a_deployer', environment: environment.name, whoMay };
}

/** Forcing past failing checks: admins only. */
export function canForce(asker: Asker): Permission {
  return adminOnly(asker, 'force');
}

/** Taking over someone else's lock: admins only. */
export function canStealLock(asker: Asker): Permission {
  return adminOnly(asker, 'take_over_lock');
}

function adminOnly(asker: Asker, act: 'force' | 'take_over_lock'): Permission {
  const membership = checkMembership(asker);
  if (!membership.allowed) return membership;
  if (isAdmin(asker)) return { allowed: true };
  const whoMay = unique(asker.environment.admins).map(mention);
  return { allowed: false, rule: 'admins_only', act, environment: asker.environment.name, whoMay };
}

/**
 * Cancelling deployments someone else asked for: the environment's admins, or whoever holds
 * its lock. Anyone who may deploy there cancels their own.
 */
export function canCancelOthers(asker: Asker, lock: Lock | undefined, now: number): Permission {
  const membership = checkMembership(asker);
  if (!membership.allowed) return membership;
  const held = activeLock(lock, now);
  if (isAdmin(asker) || held?.holder === asker.userId) return { allowed: true };
  const whoMay = unique([...asker.environment.admins, ...(held ? [held.holder] : [])]).map(mention);
  return { allowed: false, rule: 'not_your_deploy', environment: asker.environment.name, whoMay };
}

/** The Slack user groups (S…) whose members the policy asks about for an environment. */
export function groupsOf(environment: EnvironmentConfig): string[] {
  const ids = [...(environment.deployers ?? []), ...environment.admins];
  return unique(ids.filter((id) => SLACK_USERGROUP_ID.test(id)));
}

// ---------------------------------------------------------------------------------------
// Confirmation and approval

/** What a pending confirmation waits for: a deploy's Deploy button, "Deploy anyway", an approval, a lock take-over. */
export type ConfirmationKind = 'deploy' | 'force' | 'approval' | 'steal';

export const CONFIRMATION_TTL_MS = 5 * MINUTE_MS;
/** An approval may take a while to come; it expires with the working day. */
export const APPROVAL_TTL_MS = 12 * HOUR_MS;

export function confirmationTtlMs(kind: ConfirmationKind): number {
  return kind === 'approval' ? APPROVAL_TTL_MS : CONFIRMATION_TTL_MS;
}

export function needsConfirmation(environment: EnvironmentConfig): boolean {
  return environment.confirm;
}

/** A confirmation lapses at the expiry it was saved with (see confirmationTtlMs). */
export function confirmationExpired(confirmation: { readonly expiresAt: number }, now: number): boolean {
  return now >= confirmation.expiresAt;
}

/**
 * Only the asker presses their own Deploy and Cancel buttons. `confirmation.userId` is the
 * asker, as the confirmation store records it.
 */
export function canPressConfirmation(confirmation: { readonly userId: string }, userId: string): Permission {
  if (confirmation.userId === userId) return { allowed: true };
  const asker = confirmation.userId;
  return { allowed: false, rule: 'not_the_asker', asker, whoMay: [mention(asker)] };
}

export function needsApproval(environment: EnvironmentConfig): boolean {
  return environment.approvals > 0;
}

/** Who an approval request asks: the deployers and admins, as mentions. */
export function approversOf(environment: EnvironmentConfig): string[] {
  return unique([...(environment.deployers ?? []), ...environment.admins].map(mention));
}

/** Nobody approves their own deploy; with `deployers` set, approvers must be deployers or admins. */
export function canApprove(input: {
  readonly approverId: string;
  readonly requesterId: string;
  readonly environment: EnvironmentConfig;
  readonly approverGroups: readonly string[];
  readonly approverStanding: UserStanding;
}): Permission {
  const { approverId, requesterId, environment, approverGroups } = input;
  const membership = checkMembership({ environment, userId: approverId, standing: input.approverStanding });
  if (!membership.allowed) return membership;
  const deployers = environment.deployers;
  const whoMay = unique(deployers === undefined ? [] : [...deployers, ...environment.admins])
    .filter((id) => id !== requesterId)
    .map(mention);
  if (approverId === requesterId) return { allowed: false, rule: 'own_deploy', whoMay };
  if (deployers === undefined) return { allowed: true };
  if (
    listed(deployers, approverId, approverGroups) ||
    listed(environment.admins, approverId, approverGroups)
  ) {
    return { allowed: true };
  }
  return { allowed: false, rule: 'not_an_approver', environment: environment.name, whoMay };
}

/** How many more approvals a deploy needs: distinct approvers, the requester never counting. */
export function approvalsMissing(
  environment: EnvironmentConfig,
  requesterId: string,
  approverIds: readonly string[],
): number {
  const counted = new Set(approverIds.filter((id) => id !== requesterId));
  return Math.max(0, environment.approvals - counted.size);
}

export function unique<T>(ids: readonly T[]): T[] {
  return [...new Set(ids)];
}

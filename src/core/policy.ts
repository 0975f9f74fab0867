/**
 * Who may do what, decided from plain inputs: the config, Slack IDs and times. Refusals
 * come with a mrkdwn reason (user text escaped, people as Slack mentions) and, where it
 * helps, who may do it instead.
 */
import type { Config, EnvironmentConfig } from '../config/config-file.js';
import { SLACK_USERGROUP_ID } from '../config/names.js';
import { formatAgo, formatDurationShort, MINUTE_MS } from './duration.js';
import { escapeMrkdwn } from './message.js';

export type Permission =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** mrkdwn, ready to show. */
      readonly reason: string;
      /** Slack mentions (`<@U…>`, `<!subteam^S…>`) of those who may; empty when nobody may. */
      readonly whoMay: string[];
    };

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
  /** The Slack user groups the user belongs to (S… IDs). */
  readonly userGroups: readonly string[];
}

function listed(ids: readonly string[] | undefined, userId: string, userGroups: readonly string[]): boolean {
  return ids !== undefined && (ids.includes(userId) || userGroups.some((group) => ids.includes(group)));
}

export function isAdmin({ environment, userId, userGroups }: Asker): boolean {
  return listed(environment.admins, userId, userGroups);
}

/** Deployers absent: everyone. Admins may always deploy. */
export function checkDeployPermission(asker: Asker): Permission {
  const { environment, userId, userGroups } = asker;
  if (environment.deployers === undefined) return { allowed: true };
  if (listed(environment.deployers, userId, userGroups) || isAdmin(asker)) return { allowed: true };
  const whoMay = unique([...environment.deployers, ...environment.admins]).map(mention);
  return refuse(`You may not deploy to *${escapeMrkdwn(environment.name)}*.`, whoMay);
}

/** Forcing past failing checks: admins only. */
export function canForce(asker: Asker): Permission {
  return adminOnly(asker, 'force a deploy past failing checks');
}

/** Taking over someone else's lock: admins only. */
export function canStealLock(asker: Asker): Permission {
  return adminOnly(asker, 'take over a lock');
}

function adminOnly(asker: Asker, what: string): Permission {
  if (isAdmin(asker)) return { allowed: true };
  const env = `*${escapeMrkdwn(asker.environment.name)}*`;
  const whoMay = unique(asker.environment.admins).map(mention);
  if (whoMay.length === 0) {
    return refuse(
      `Only admins may ${what} on ${env}, and it has none (\`admins:\` in deploybot.yml).`,
      whoMay,
    );
  }
  return refuse(`Only admins may ${what} on ${env}.`, whoMay);
}

// ---------------------------------------------------------------------------------------
// Locks

export interface Lock {
  readonly repository: string;
  readonly environment: string;
  /** Slack user ID. */
  readonly holder: string;
  readonly reason?: string;
  readonly lockedAt: number;
  readonly expiresAt?: number;
}

export type LockCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function isLockExpired(lock: Lock, now: number): boolean {
  return lock.expiresAt !== undefined && now >= lock.expiresAt;
}

/** Whether a lock still holds: absent and expired locks do not. */
export function activeLock(lock: Lock | undefined, now: number): Lock | undefined {
  return lock === undefined || isLockExpired(lock, now) ? undefined : lock;
}

/** A deploy into a locked environment: the holder and admins may, others are told why not. */
export function checkLock(
  lock: Lock | undefined,
  who: { readonly userId: string; readonly isAdmin: boolean; readonly now: number },
): LockCheck {
  const active = activeLock(lock, who.now);
  if (active === undefined || active.holder === who.userId || who.isAdmin) return { ok: true };
  return { ok: false, reason: `${describeLock(active, who.now)} Ask them to unlock it, or ask an admin.` };
}

/** "*production* of *octo-org/web* is locked by <@U1> (3h ago, 2h left): “release freeze”." */
export function describeLock(lock: Lock, now: number): string {
  const when = [formatAgo(lock.lockedAt, now)];
  if (lock.expiresAt !== undefined) {
    when.push(`${formatDurationShort(Math.max(MINUTE_MS, lock.expiresAt - now))} left`);
  }
  const reason = lock.reason?.trim();
  return (
    `*${escapeMrkdwn(lock.environment)}* of *${escapeMrkdwn(lock.repository)}* is locked by ` +
    `${mention(lock.holder)} (${when.join(', ')})${reason ? `: “${escapeMrkdwn(reason)}”` : ''}.`
  );
}

export function createLock(input: {
  readonly repository: string;
  readonly environment: string;
  readonly holder: string;
  readonly reason?: string;
  readonly durationMs?: number;
  readonly now: number;
}): Lock {
  return {
    repository: input.repository,
    environment: input.environment,
    holder: input.holder,
    ...(input.reason === undefined ? {} : { reason: input.reason }),
    lockedAt: input.now,
    ...(input.durationMs === undefined ? {} : { expiresAt: input.now + input.durationMs }),
  };
}

export type LockDecision =
  /** Nobody holds it (or the lock expired): take it. */
  | { readonly action: 'lock' }
  /** The asker holds it already: replace reason and expiry. */
  | { readonly action: 'relock'; readonly existing: Lock }
  /** An admin asked to steal: confirm first, then tell the previous holder. */
  | { readonly action: 'steal'; readonly previousHolder: string; readonly existing: Lock }
  | { readonly action: 'refuse'; readonly reason: string; readonly whoMay: string[] };

/** What `lock ENV on REPO[!]` does, given the lock there now. */
export function decideLock(
  existing: Lock | undefined,
  asker: Asker & { steal: boolean; now: number },
): LockDecision {
  const active = activeLock(existing, asker.now);
  if (active === undefined) return { action: 'lock' };
  if (active.holder === asker.userId) return { action: 'relock', existing: active };
  if (!asker.steal) {
    return {
      action: 'refuse',
      reason: `${describeLock(active, asker.now)} An admin can take it over with \`lock …!\`.`,
      whoMay: [mention(active.holder)],
    };
  }
  const permission = canStealLock(asker);
  if (!permission.allowed) return { action: 'refuse', reason: permission.reason, whoMay: permission.whoMay };
  return { action: 'steal', previousHolder: active.holder, existing: active };
}

export type UnlockDecision =
  | { readonly action: 'unlock'; readonly existing: Lock }
  | { readonly action: 'not_locked' }
  | { readonly action: 'refuse'; readonly reason: string; readonly whoMay: string[] };

/** The holder and admins may unlock; unlocking someone else's lock is taking it over. */
export function decideUnlock(existing: Lock | undefined, asker: Asker & { now: number }): UnlockDecision {
  const active = activeLock(existing, asker.now);
  if (active === undefined) return { action: 'not_locked' };
  if (active.holder === asker.userId || isAdmin(asker)) return { action: 'unlock', existing: active };
  return {
    action: 'refuse',
    reason: `${describeLock(active, asker.now)} Only ${mention(active.holder)} or an admin can unlock it.`,
    whoMay: unique([active.holder, ...asker.environment.admins]).map(mention),
  };
}

// ---------------------------------------------------------------------------------------
// Confirmation and approval

export const CONFIRMATION_TTL_MS = 5 * MINUTE_MS;

export function needsConfirmation(environment: EnvironmentConfig): boolean {
  return environment.confirm;
}

export function confirmationExpired(createdAt: number, now: number): boolean {
  return now - createdAt >= CONFIRMATION_TTL_MS;
}

/**
 * Only the asker presses their own Deploy and Cancel buttons. `confirmation.userId` is the
 * asker, as the confirmation store records it.
 */
export function canPressConfirmation(confirmation: { readonly userId: string }, userId: string): Permission {
  if (confirmation.userId === userId) return { allowed: true };
  const asker = mention(confirmation.userId);
  return {
    allowed: false,
    reason: `Only ${asker} can press these buttons: it's their deploy.`,
    whoMay: [asker],
  };
}

export function needsApproval(environment: EnvironmentConfig): boolean {
  return environment.approvals > 0;
}

/** Nobody approves their own deploy; with `deployers` set, approvers must be deployers or admins. */
export function canApprove(input: {
  readonly approverId: string;
  readonly requesterId: string;
  readonly environment: EnvironmentConfig;
  readonly approverGroups: readonly string[];
}): Permission {
  const { approverId, requesterId, environment, approverGroups } = input;
  const deployers = environment.deployers;
  const whoMay = unique(deployers === undefined ? [] : [...deployers, ...environment.admins])
    .filter((id) => id !== requesterId)
    .map(mention);
  if (approverId === requesterId) {
    return refuse('You cannot approve your own deploy; someone else has to.', whoMay);
  }
  if (deployers === undefined) return { allowed: true };
  if (
    listed(deployers, approverId, approverGroups) ||
    listed(environment.admins, approverId, approverGroups)
  ) {
    return { allowed: true };
  }
  return refuse(`Only deployers of *${escapeMrkdwn(environment.name)}* may approve deploys there.`, whoMay);
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

// ---------------------------------------------------------------------------------------
// Rollback

export interface RollbackCandidate {
  readonly sha: string;
  /** The deployment's latest status state (GitHub's, or `active` as some tools report it). */
  readonly state: string;
  readonly createdAt: number;
}

export type RollbackPick<T extends RollbackCandidate> =
  | { readonly target: T; readonly current: T }
  | { readonly target: undefined; readonly reason: string };

const LIVE_STATES: ReadonlySet<string> = new Set(['success', 'active']);
// GitHub retires a successful deployment to `inactive` when a newer one succeeds.
const ONCE_LIVE_STATES: ReadonlySet<string> = new Set(['success', 'active', 'inactive']);

/**
 * The deployment to roll back to: the newest one that went live before the one live now
 * (the newest `success`/`active`), with a different sha. Failed and unfinished deployments
 * never went live, so they are neither current nor a target.
 */
export function pickRollbackTarget<T extends RollbackCandidate>(history: readonly T[]): RollbackPick<T> {
  const newestFirst = [...history].sort((a, b) => b.createdAt - a.createdAt);
  const currentIndex = newestFirst.findIndex((entry) => LIVE_STATES.has(entry.state));
  const current = newestFirst[currentIndex];
  if (current === undefined) {
    return {
      target: undefined,
      reason: 'Nothing has been deployed there successfully, so there is nothing to roll back.',
    };
  }
  const target = newestFirst
    .slice(currentIndex + 1)
    .find(
      (entry) => ONCE_LIVE_STATES.has(entry.state) && entry.sha.toLowerCase() !== current.sha.toLowerCase(),
    );
  if (target === undefined) {
    return {
      target: undefined,
      reason: 'There is no earlier successful deploy of another commit there to roll back to.',
    };
  }
  return { target, current };
}

function refuse(reason: string, whoMay: string[]): Permission {
  const instead = whoMay.length > 0 ? ` Ask ${joinOr(whoMay)}.` : '';
  return { allowed: false, reason: `${reason}${instead}`, whoMay };
}

function joinOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

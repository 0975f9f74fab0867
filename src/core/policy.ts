/**
 * Who may do what, decided from plain inputs: the config, Slack IDs and times. Refusals
 * come with a mrkdwn reason (user text escaped, people as Slack mentions) and, where it
 * helps, who may do it instead.
 */
import type { Config, EnvironmentConfig } from './config.js';
import { MINUTE_MS } from './duration.js';
import { escapeMrkdwn } from './message.js';
import { SLACK_USERGROUP_ID } from './names.js';

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

function refuse(reason: string, whoMay: string[]): Permission {
  const instead = whoMay.length > 0 ? ` Ask ${joinOr(whoMay)}.` : '';
  return { allowed: false, reason: `${reason}${instead}`, whoMay };
}

function joinOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

export function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

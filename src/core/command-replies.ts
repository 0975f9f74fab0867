/**
 * The answers to chat commands, as data (text fallback + Block Kit blocks). Reasons that
 * come from the grammar and the policy are mrkdwn already (user text escaped there);
 * everything else typed by people (lock reasons, refs, commit messages) is escaped here.
 * Where, history and the confirmation prompt live in command-replies-status.ts and
 * command-replies-confirm.ts and are re-exported from here.
 */
import { formatDurationShort } from './duration.js';
import { type DeploybotError, presentError } from './errors.js';
import { describeLock, type Lock } from './lock-policy.js';
import { type CheckContext, classifyCheckContexts } from './merge-deploy.js';
import { type Block, button, escapeMrkdwn, type MessageContent, mrkdwn } from './message.js';
import { mention } from './policy.js';
import { USAGE_LINES } from './usage.js';

export {
  ACTION_DEPLOY_APPROVE,
  ACTION_DEPLOY_CANCEL,
  ACTION_DEPLOY_CONFIRM,
  type ApprovalRequest,
  COMMITS_SHOWN,
  type ConfirmationRequest,
  type ConfirmedCommit,
  renderApprovalRequest,
  renderConfirmation,
  renderConfirmationCancelled,
  renderConfirmationExpired,
} from './command-replies-confirm.js';
export {
  type DeploymentSummary,
  HISTORY_LIMIT,
  type HistoryEntry,
  type HistoryReply,
  renderHistory,
  renderWhere,
  type WhereEnvironment,
  type WhereReply,
} from './command-replies-status.js';

export const ACTION_DEPLOY_FORCE = 'deploy_force';
export const ACTION_LOCK_STEAL_CONFIRM = 'lock_steal_confirm';
export const ACTION_LOCK_STEAL_CANCEL = 'lock_steal_cancel';

/** The usage, optionally after a line saying what went wrong. */
export function renderHelp(intro?: string): MessageContent {
  const head = intro ?? '*deploybot* deploys from Slack. Usage:';
  const usage = USAGE_LINES.map((line) => `• ${line}`).join('\n');
  return {
    text: `${head}\n${usage}`,
    blocks: [
      { type: 'section', text: mrkdwn(head) },
      { type: 'context', elements: [mrkdwn(usage)] },
    ],
  };
}

/** A command deploybot could not read: why, "did you mean …", and the usage. */
export function renderInvalid(command: {
  readonly reason: string;
  readonly suggestions: readonly string[];
}): MessageContent {
  const meant = didYouMean(command.suggestions);
  const head = meant === '' ? command.reason : `${command.reason} ${meant}`;
  const usage = USAGE_LINES.map((line) => `• ${line}`).join('\n');
  return {
    text: head,
    blocks: [
      { type: 'section', text: mrkdwn(`:thinking_face: ${head}`) },
      { type: 'context', elements: [mrkdwn(usage)] },
    ],
  };
}

/** "Did you mean `web` or `website`?" (empty without suggestions). */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  const quoted = suggestions.map((s) => `\`${escapeMrkdwn(s.replace(/`/g, "'"))}\``);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
  return `Did you mean ${list}?`;
}

/**
 * A refusal from the policy (permission, lock, confirmation buttons, rollback): its reason
 * is mrkdwn already and says who may instead.
 */
export function renderRefusal(refusal: { readonly reason: string }): MessageContent {
  return {
    text: refusal.reason,
    blocks: [{ type: 'section', text: mrkdwn(`:no_entry: ${refusal.reason}`) }],
  };
}

export interface GitHubErrorSubject {
  readonly repository: string;
  readonly environment: string;
  readonly ref?: string;
  /** The value of the "Deploy anyway" button; give it only when the asker may force (canForce). */
  readonly forceValue?: string;
}

/** GitHub's answer to a deploy, in words; failed checks listed, with "Deploy anyway" for those allowed. */
export function renderGitHubError(error: DeploybotError, subject: GitHubErrorSubject): MessageContent {
  const what = `*${escapeMrkdwn(subject.repository)}*${subject.ref === undefined ? '' : ` \`${escapeMrkdwn(subject.ref)}\``} to *${escapeMrkdwn(subject.environment)}*`;
  if (error.code === 'github_checks_failed') {
    return renderChecks(error, subject, what);
  }
  const text = escapeMrkdwn(presentError(error).text);
  const emoji = error.retryable ? ':hourglass:' : ':warning:';
  return {
    text: `Not deployed: ${text}`,
    blocks: [
      { type: 'section', text: mrkdwn(`${emoji} *Not deployed*: ${what}`) },
      { type: 'context', elements: [mrkdwn(text)] },
    ],
  };
}

function renderChecks(error: DeploybotError, subject: GitHubErrorSubject, what: string): MessageContent {
  const contexts = readContexts(error);
  const { failed, waiting } = classifyCheckContexts(contexts);
  const lines = [
    ...failed.map((c) => `:x: \`${escapeMrkdwn(c.context)}\` ${escapeMrkdwn(c.state)}`),
    ...waiting.map(
      (c) =>
        `${c.state === 'missing' ? ':grey_question:' : ':hourglass_flowing_sand:'} \`${escapeMrkdwn(c.context)}\` ${c.state === 'missing' ? 'has not reported' : escapeMrkdwn(c.state)}`,
    ),
  ];
  const names = [...failed, ...waiting].map((c) => c.context).join(', ');
  const headline =
    failed.length > 0 || error.code === 'github_checks_failed'
      ? 'Required checks did not pass'
      : 'Required checks have not passed yet';
  const blocks: Block[] = [
    { type: 'section', text: mrkdwn(`:no_entry: *Not deployed*: ${what}. ${headline}:`) },
    { type: 'section', text: mrkdwn(lines.length > 0 ? lines.join('\n') : '_GitHub did not say which._') },
  ];
  if (subject.forceValue !== undefined) {
    blocks.push({
      type: 'actions',
      elements: [button('Deploy anyway', ACTION_DEPLOY_FORCE, subject.forceValue, 'danger')],
    });
  } else {
    blocks.push({
      type: 'context',
      elements: [mrkdwn('Fix the checks and deploy again, or ask an admin of the environment to force it.')],
    });
  }
  return { text: escapeMrkdwn(`Not deployed: ${headline.toLowerCase()} (${names || 'unknown'})`), blocks };
}

function readContexts(error: DeploybotError): CheckContext[] {
  const d = error.details;
  const listed = Array.isArray(d.contexts) ? (d.contexts as unknown[]) : [];
  const contexts = listed.filter(
    (c): c is CheckContext =>
      typeof (c as CheckContext | null)?.context === 'string' &&
      typeof (c as CheckContext).state === 'string',
  );
  if (contexts.length > 0) return contexts;
  const named = (key: string, state: string) =>
    Array.isArray(d[key]) ? (d[key] as unknown[]).map((name) => ({ context: String(name), state })) : [];
  return [...named('failedContexts', 'failure'), ...named('pendingContexts', 'pending')];
}

// ---------------------------------------------------------------------------------------
// Locks

/** After `lock`: what is locked, for how long, why. */
export function renderLocked(lock: Lock, options: { readonly updated?: boolean } = {}): MessageContent {
  const place = `*${escapeMrkdwn(lock.environment)}* of *${escapeMrkdwn(lock.repository)}*`;
  const duration =
    lock.expiresAt === undefined ? '' : ` for ${formatDurationShort(lock.expiresAt - lock.lockedAt)}`;
  const reason = lock.reason?.trim() ? `: “${escapeMrkdwn(lock.reason.trim())}”` : '';
  const head = `:lock: ${options.updated ? 'Lock updated' : 'Locked'}: ${place}${duration}${reason}.`;
  const hint = `Others cannot deploy there until \`unlock ${escapeMrkdwn(lock.environment)} on ${escapeMrkdwn(lock.repository)}\`${lock.expiresAt === undefined ? '' : ' or the lock expires'}.`;
  return {
    text: head,
    blocks: [
      { type: 'section', text: mrkdwn(head) },
      { type: 'context', elements: [mrkdwn(hint)] },
    ],
  };
}

export function renderUnlocked(lock: Lock, by: string): MessageContent {
  const held = by === lock.holder ? '' : ` (it was ${mention(lock.holder)}'s)`;
  const text = `:unlock: ${mention(by)} unlocked *${escapeMrkdwn(lock.environment)}* of *${escapeMrkdwn(lock.repository)}*${held}.`;
  return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

export function renderNotLocked(repository: string, environment: string): MessageContent {
  const text = `*${escapeMrkdwn(environment)}* of *${escapeMrkdwn(repository)}* is not locked.`;
  return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

/** Asks an admin to confirm taking over someone else's lock. */
export function renderStealPrompt(input: {
  readonly id: string;
  readonly existing: Lock;
  readonly now: number;
}): MessageContent {
  const head = `:warning: ${describeLock(input.existing, input.now)} Take it over? ${mention(input.existing.holder)} will be told.`;
  return {
    text: head,
    blocks: [
      { type: 'section', text: mrkdwn(head) },
      {
        type: 'actions',
        elements: [
          button('Take over', ACTION_LOCK_STEAL_CONFIRM, input.id, 'danger'),
          button('Cancel', ACTION_LOCK_STEAL_CANCEL, input.id),
        ],
      },
    ],
  };
}

/** Tells the previous holder, in the channel, that their lock was taken over. */
export function renderLockStolen(input: {
  readonly lock: Lock;
  readonly previousHolder: string;
}): MessageContent {
  const { lock } = input;
  const reason = lock.reason?.trim() ? `: “${escapeMrkdwn(lock.reason.trim())}”` : '';
  const text =
    `:lock: ${mention(input.previousHolder)}, ${mention(lock.holder)} took over your lock on ` +
    `*${escapeMrkdwn(lock.environment)}* of *${escapeMrkdwn(lock.repository)}*${reason}.`;
  return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

/** A lock that lapsed by itself. */
export function renderLockExpired(lock: Lock): MessageContent {
  const reason = lock.reason?.trim() ? ` (“${escapeMrkdwn(lock.reason.trim())}”)` : '';
  const text =
    `:unlock: ${mention(lock.holder)}'s lock on *${escapeMrkdwn(lock.environment)}* of ` +
    `*${escapeMrkdwn(lock.repository)}*${reason} expired; anyone may deploy there again.`;
  return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

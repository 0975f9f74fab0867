/**
 * The answers to chat commands, as data (text fallback + Block Kit blocks). Reasons that
 * come from the grammar are mrkdwn already (user text escaped there); everything else typed
 * by people (lock reasons, refs, commit messages) is escaped where it is rendered. The
 * answers of each flow live in the command-replies-*.ts files and are re-exported here.
 */
import { joinOr } from './command-replies-refusal.js';
import { sectionsOf } from './command-replies-status.js';
import { type DeploybotError, presentError } from './errors.js';
import { type CheckContext, classifyCheckContexts } from './merge-deploy.js';
import { type Block, button, escapeMrkdwn, type MessageContent, mrkdwn } from './message.js';
import { USAGE_LINES } from './usage.js';

export {
  ACTION_DEPLOY_APPROVE,
  ACTION_DEPLOY_CANCEL,
  ACTION_DEPLOY_CONFIRM,
  type ApprovalRequest,
  COMMITS_SHOWN,
  type ConfirmationRequest,
  type ConfirmedCommit,
  renderAlreadyAnswered,
  renderApprovalRequest,
  renderConfirmation,
  renderConfirmationCancelled,
  renderConfirmationExpired,
  renderTakeoverAlreadyAnswered,
} from './command-replies-confirm.js';
export {
  renderApprovalRequested,
  renderApproved,
  renderDeploymentCreated,
  renderDeploysCancelled,
  renderMergeApproved,
  renderNothingToCancel,
} from './command-replies-deploy.js';
export {
  ACTION_LOCK_STEAL_CANCEL,
  ACTION_LOCK_STEAL_CONFIRM,
  describeLock,
  renderLockChanged,
  renderLockExpired,
  renderLocked,
  renderLockStolen,
  renderNotLocked,
  renderStealPrompt,
  renderUnlocked,
} from './command-replies-lock.js';
export { describeRefusal, renderRefusal } from './command-replies-refusal.js';
export {
  type DeploymentSummary,
  HISTORY_LIMIT,
  type HistoryEntry,
  type HistoryReply,
  renderHistory,
  renderWhere,
  summarizeDeployment,
  type WhereEnvironment,
  type WhereReply,
} from './command-replies-status.js';

export const ACTION_DEPLOY_FORCE = 'deploy_force';

const USAGE = USAGE_LINES.map((line) => `• ${line}`).join('\n');

/** The usage, optionally after a line saying what went wrong, then the freezes open or coming (see describeFreezes). */
export function renderHelp(intro?: string, freezes: readonly string[] = []): MessageContent {
  const head = intro ?? '*deploybot* deploys from Slack. Usage:';
  const frozen =
    freezes.length === 0
      ? ''
      : `*Freezes*, when only admins deploy (with \`!\`):\n${freezes.map((l) => `• ${l}`).join('\n')}`;
  return {
    text: frozen === '' ? `${head}\n${USAGE}` : `${head}\n${USAGE}\n${frozen}`,
    blocks: [
      { type: 'section', text: mrkdwn(head) },
      { type: 'context', elements: [mrkdwn(USAGE)] },
      ...(frozen === '' ? [] : sectionsOf(frozen.split('\n'))),
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
  return {
    text: head,
    blocks: [
      { type: 'section', text: mrkdwn(`:thinking_face: ${head}`) },
      { type: 'context', elements: [mrkdwn(USAGE)] },
    ],
  };
}

/** "Did you mean `web` or `website`?" (empty without suggestions). */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  return `Did you mean ${joinOr(suggestions.map((s) => `\`${escapeMrkdwn(s.replace(/`/g, "'"))}\``))}?`;
}

/** The acknowledgement of a command that takes a moment: the answer replaces it. */
export function renderWorking(): MessageContent {
  return { text: ':hourglass_flowing_sand: Working on it…' };
}

/** A command or button that failed for a reason of deploybot's own (GitHub down, a bug). */
export function renderFailure(error: DeploybotError): MessageContent {
  return { text: `:warning: ${escapeMrkdwn(presentError(error).text)}` };
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

/** GitHub's 409: the required checks did not pass (failed, pending or never reported). */
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
  const headline = 'Required checks did not pass';
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

/** The "are you sure?" prompt of protected environments, and the approval request. */
import { commitLink, sectionsOf } from './command-replies-status.js';
import type { FreezePeriod } from './freeze.js';
import { freezeUntil } from './freeze-text.js';
import { type Block, button, escapeMrkdwn, linkTo, type MessageContent, mrkdwn, note } from './message.js';
import { mention } from './policy.js';
import { truncate } from './text.js';

export const ACTION_DEPLOY_CONFIRM = 'deploy_confirm';
export const ACTION_DEPLOY_CANCEL = 'deploy_cancel';
export const ACTION_DEPLOY_APPROVE = 'deploy_approve';
/** More commits than this are summarised as "and N more", with a warning. */
export const COMMITS_SHOWN = 20;

export interface ConfirmedCommit {
  readonly sha: string;
  /** The whole message; its first line is shown. */
  readonly message: string;
  readonly author: string;
}

export interface ConfirmationRequest {
  /** Carried by both buttons, to find the pending confirmation again. */
  readonly id: string;
  readonly repository: string;
  readonly repositoryUrl: string;
  readonly environment: string;
  readonly ref: string;
  readonly sha: string;
  /** The sha deployed there now; undefined when nothing is. */
  readonly currentSha?: string | undefined;
  /** From GitHub's compare API, oldest first as it returns them; only the first 20 are shown. */
  readonly commits: readonly ConfirmedCommit[];
  /** The compare API's `total_commits`, which may exceed the commits listed. */
  readonly totalCommits: number;
  /** The compare page (`html_url`). */
  readonly compareUrl?: string;
  /** Set when GitHub could not compare the two commits: what ships is unknown. */
  readonly compareFailed?: boolean;
  /** How many commits that run there now the new sha does not have (compare's `behind_by`). */
  readonly behindBy?: number;
  readonly forced?: boolean;
  /** Set for a rollback: what it goes back from. */
  readonly rollback?: boolean;
  /** The freeze an admin deploys past, and the time it was asked. */
  readonly freeze?: FreezePeriod;
  readonly now?: number;
}

/** What will ship, with Deploy and Cancel buttons for the asker. */
export function renderConfirmation(request: ConfirmationRequest): MessageContent {
  const { repositoryUrl } = request;
  const target = `*${escapeMrkdwn(request.repository)}* \`${escapeMrkdwn(request.ref)}\` (${commitLink(repositoryUrl, request.sha)}) to *${escapeMrkdwn(request.environment)}*`;
  const verb = request.rollback ? 'Roll back' : 'Deploy';
  const head = `:rocket: ${verb} ${target}?${request.forced ? ' :rotating_light: Forced past failing checks.' : ''}`;
  const blocks: Block[] = [{ type: 'section', text: mrkdwn(head) }];
  if (request.freeze !== undefined) {
    const frozen = `:snowflake: *${escapeMrkdwn(request.environment)}* is ${freezeUntil(request.freeze, request.now ?? request.freeze.start)}. You are an admin: this deploys despite the freeze.`;
    blocks.push({ type: 'section', text: mrkdwn(frozen) });
  }
  const total = Math.max(request.totalCommits, request.commits.length);
  const diff = request.compareUrl === undefined ? undefined : linkTo(request.compareUrl, 'the whole diff');

  let summary: string;
  if (request.currentSha === undefined) {
    summary = 'Nothing is deployed there yet, so everything in this commit ships.';
  } else if (request.currentSha === request.sha) {
    summary = 'This commit already runs there; deploying it again changes nothing.';
  } else if (request.compareFailed) {
    summary = `:warning: GitHub could not list the commits since ${commitLink(repositoryUrl, request.currentSha)}; look at what ships before deploying.`;
  } else if (total === 0) {
    const behind = request.behindBy ?? 0;
    summary = request.rollback
      ? `This goes back from ${commitLink(repositoryUrl, request.currentSha)}.`
      : behind > 0
        ? `:warning: This is older than what runs there (${commitLink(repositoryUrl, request.currentSha)}): deploying it takes back ${behind === 1 ? '1 commit' : `${behind} commits`}.`
        : `No new commits since ${commitLink(repositoryUrl, request.currentSha)}.`;
  } else {
    summary = `${total === 1 ? '1 commit' : `${total} commits`} since ${commitLink(repositoryUrl, request.currentSha)}${diff === undefined ? '' : ` (${diff})`}:`;
  }
  blocks.push({ type: 'section', text: mrkdwn(summary) });

  const shown = request.commits.slice(0, COMMITS_SHOWN);
  if (request.currentSha !== undefined && shown.length > 0) {
    const lines = shown.map(
      (c) =>
        `• ${commitLink(repositoryUrl, c.sha)} ${escapeMrkdwn(truncate(firstLine(c.message), 80))} _${escapeMrkdwn(truncate(c.author, 40))}_`,
    );
    blocks.push(...sectionsOf(lines));
    if (total > COMMITS_SHOWN) {
      const more = `…and ${total - COMMITS_SHOWN} more. :warning: That is more than ${COMMITS_SHOWN} commits at once${diff === undefined ? '' : `; read ${diff} before deploying`}.`;
      blocks.push({ type: 'context', elements: [mrkdwn(more)] });
    }
  }

  blocks.push({
    type: 'actions',
    elements: [
      button(verb, ACTION_DEPLOY_CONFIRM, request.id, 'primary'),
      button('Cancel', ACTION_DEPLOY_CANCEL, request.id),
    ],
  });
  blocks.push({ type: 'context', elements: [mrkdwn('Only you can press these; they expire in 5 minutes.')] });

  const count = request.currentSha === undefined ? '' : ` (${total} ${total === 1 ? 'commit' : 'commits'})`;
  return {
    text: escapeMrkdwn(
      `${verb} ${request.repository} ${request.ref} to ${request.environment}?${count}${request.freeze === undefined ? '' : ' It is frozen; this deploys despite the freeze.'} Confirm or cancel within 5 minutes.`,
    ),
    blocks,
  };
}

function firstLine(message: string): string {
  return (message.split(/\r?\n/, 1)[0] ?? '').trim();
}

export function renderConfirmationExpired(): MessageContent {
  return note(
    ':hourglass: That confirmation expired after 5 minutes; nothing was deployed. Ask again to deploy.',
  );
}

export function renderConfirmationCancelled(): MessageContent {
  return note(':x: Cancelled; nothing was deployed.');
}

const ALREADY_ANSWERED = 'This was already answered; nothing more to do.';

/** A deploy's button pressed again, or after another press won. */
export function renderAlreadyAnswered(): MessageContent {
  return note(ALREADY_ANSWERED);
}

/** The same for a lock take-over, which has always answered in plain text. */
export function renderTakeoverAlreadyAnswered(): MessageContent {
  return { text: ALREADY_ANSWERED };
}

export interface ApprovalRequest {
  /** Carried by the Approve button. */
  readonly id: string;
  readonly requesterId: string;
  readonly repository: string;
  readonly repositoryUrl: string;
  readonly environment: string;
  readonly ref: string;
  readonly sha: string;
  readonly approvalsMissing: number;
  /** Mentions of who may approve (from canApprove's whoMay); empty: anyone else. */
  readonly approvers: readonly string[];
  /** Set when a merged pull request, not someone in Slack, asks: it is named instead of a requester. */
  readonly mergedBy?: { readonly pullRequest: number; readonly author: string };
}

/** Asks the channel for an approval; anyone but the requester among the approvers may press. */
export function renderApprovalRequest(request: ApprovalRequest): MessageContent {
  const target = `*${escapeMrkdwn(request.repository)}* \`${escapeMrkdwn(request.ref)}\` (${commitLink(request.repositoryUrl, request.sha)}) to *${escapeMrkdwn(request.environment)}*`;
  const needed = request.approvalsMissing === 1 ? 'an approval' : `${request.approvalsMissing} approvals`;
  const who = request.approvers.length > 0 ? ` from ${request.approvers.join(', ')}` : ' from someone else';
  const head =
    request.mergedBy === undefined
      ? `:raised_hand: ${mention(request.requesterId)} wants to deploy ${target}. It needs ${needed}${who}.`
      : `:raised_hand: #${request.mergedBy.pullRequest} by ${escapeMrkdwn(request.mergedBy.author)} was merged; deploying ${target} needs ${needed}${who}, not from its author.`;
  return {
    text: head,
    blocks: [
      { type: 'section', text: mrkdwn(head) },
      {
        type: 'actions',
        elements: [button('Approve', ACTION_DEPLOY_APPROVE, request.id, 'primary')],
      },
    ],
  };
}

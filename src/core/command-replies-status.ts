/** The answers to `where` and `history`: what runs where, and what ran before. */

import { shortSha } from './announcement.js';
import { lockReason, lockTimes } from './command-replies-lock.js';
import { stateEmoji } from './deployment-look.js';
import { formatAgo } from './duration.js';
import { type freezeFacts, freezeLines } from './freeze-text.js';
import { activeLock, type Lock } from './lock.js';
import { type Block, escapeMrkdwn, linkTo, type MessageContent, mrkdwn, note } from './message.js';
import { mention } from './policy.js';
import type { DeploymentSummary as GitHubDeployment } from './ports/github.js';

/** The short sha, linked to the commit on GitHub. */
export function commitLink(repositoryUrl: string, sha: string): string {
  return linkTo(`${repositoryUrl}/commit/${sha}`, shortSha(sha));
}

/** `main` (abc1234), or only the sha when the ref is the sha. */
function refAndSha(repositoryUrl: string, ref: string, sha: string): string {
  const link = commitLink(repositoryUrl, sha);
  return ref === sha || ref === '' ? link : `\`${escapeMrkdwn(ref)}\` (${link})`;
}

/** Slack refuses section texts over 3000 characters: long lists are split over several sections. */
export function sectionsOf(lines: readonly string[], limit = 2900): Block[] {
  const blocks: Block[] = [];
  let current = '';
  for (const line of lines) {
    const safe = line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
    if (current !== '' && current.length + 1 + safe.length > limit) {
      blocks.push({ type: 'section', text: mrkdwn(current) });
      current = '';
    }
    current = current === '' ? safe : `${current}\n${safe}`;
  }
  if (current !== '') blocks.push({ type: 'section', text: mrkdwn(current) });
  return blocks;
}

export interface DeploymentSummary {
  readonly ref: string;
  readonly sha: string;
  /** The payload's deploy_user, else the deployment's creator. */
  readonly deployUser: string;
  readonly createdAt: number;
  readonly state: string;
  readonly logUrl?: string;
}

/** A deployment GitHub listed, as `where` and `history` show it; one without a status yet is pending. */
export function summarizeDeployment(d: GitHubDeployment): DeploymentSummary {
  return {
    ref: d.ref,
    sha: d.sha,
    deployUser: d.deployer,
    createdAt: d.createdAt,
    state: d.state ?? 'pending',
    ...(d.logUrl === undefined ? {} : { logUrl: d.logUrl }),
  };
}

export interface WhereEnvironment {
  readonly name: string;
  /** The newest deployment there; undefined when there has been none. */
  readonly current?: DeploymentSummary;
  readonly lock?: Lock;
  /** Its freeze open now and the next ones (see freezeFacts); absent: none. */
  readonly freezes?: ReturnType<typeof freezeFacts>;
}

export interface WhereReply {
  readonly repository: string;
  readonly repositoryUrl: string;
  readonly environments: readonly WhereEnvironment[];
  readonly now: number;
}

/** `where REPO`: per environment, what runs there now and any lock. */
export function renderWhere(reply: WhereReply): MessageContent {
  const { repositoryUrl, now } = reply;
  const lines = reply.environments.map((env) => {
    const name = `*${escapeMrkdwn(env.name)}*`;
    const d = env.current;
    const running =
      d === undefined
        ? `${name}: nothing deployed yet`
        : `${stateEmoji(d.state)} ${name}: ${refAndSha(repositoryUrl, d.ref, d.sha)} by ${escapeMrkdwn(d.deployUser)}, ${formatAgo(d.createdAt, now)} · \`${escapeMrkdwn(d.state)}\``;
    const lock = activeLock(env.lock, now);
    const extra = [
      ...(lock === undefined ? [] : [lockLine(lock, now)]),
      ...(env.freezes === undefined ? [] : freezeLines(env.freezes, now)),
    ];
    return [running, ...extra].join('\n    ');
  });
  const head = `What runs where in *${escapeMrkdwn(reply.repository)}*:`;
  const fallback = reply.environments
    .map((env) => {
      const d = env.current;
      const what = d === undefined ? 'nothing' : `${d.ref} (${shortSha(d.sha)}) ${d.state}`;
      return `${env.name}: ${what}${activeLock(env.lock, now) ? ' (locked)' : ''}${env.freezes?.open ? ' (frozen)' : ''}`;
    })
    .join('; ');
  return {
    text: escapeMrkdwn(`${reply.repository}: ${fallback || 'no environments'}`),
    blocks: [
      { type: 'section', text: mrkdwn(head) },
      ...sectionsOf(lines.length > 0 ? lines : ['_No environments._']),
    ],
  };
}

/** ":lock: locked by <@U1> 3h ago, 2h left: “release freeze”" */
export function lockLine(lock: Lock, now: number): string {
  const reason = lockReason(lock);
  return `:lock: locked by ${mention(lock.holder)} ${lockTimes(lock, now)}${reason ? `: “${reason}”` : ''}`;
}

export interface HistoryEntry extends DeploymentSummary {
  readonly environment: string;
}

export interface HistoryReply {
  readonly repository: string;
  readonly repositoryUrl: string;
  /** Set when the history was asked for one environment. */
  readonly environment?: string;
  /** Newest first; the first 10 are shown. */
  readonly entries: readonly HistoryEntry[];
  readonly now: number;
}

export const HISTORY_LIMIT = 10;

/** `history REPO [in ENV]`: the last 10 deployments, newest first. */
export function renderHistory(reply: HistoryReply): MessageContent {
  const place = `*${escapeMrkdwn(reply.repository)}*${reply.environment === undefined ? '' : ` in *${escapeMrkdwn(reply.environment)}*`}`;
  const entries = reply.entries.slice(0, HISTORY_LIMIT);
  if (entries.length === 0) {
    return note(`No deployments of ${place} yet.`);
  }
  const lines = entries.map((e) => {
    const log = e.logUrl ? ` · ${linkTo(e.logUrl, 'log')}` : '';
    return (
      `${stateEmoji(e.state)} ${refAndSha(reply.repositoryUrl, e.ref, e.sha)} to *${escapeMrkdwn(e.environment)}* ` +
      `by ${escapeMrkdwn(e.deployUser)}, ${formatAgo(e.createdAt, reply.now)} · \`${escapeMrkdwn(e.state)}\`${log}`
    );
  });
  const head = `The last ${entries.length === 1 ? 'deployment' : `${entries.length} deployments`} of ${place}:`;
  return {
    text: escapeMrkdwn(
      `${reply.repository}: ${entries.map((e) => `${e.ref} (${shortSha(e.sha)}) to ${e.environment} ${e.state}`).join('; ')}`,
    ),
    blocks: [{ type: 'section', text: mrkdwn(head) }, ...sectionsOf(lines)],
  };
}

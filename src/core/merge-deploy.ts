import { shortSha } from './announcement.js';
import type { Config, RepoConfig } from './config.js';
import { channelFor, environmentsDeployedOnMerge } from './config-lookup.js';
import { type DeploybotError, presentError } from './errors.js';
import { fitGitHubDescription } from './github-limits.js';
import { escapeMrkdwn, linkTo, type MessageContent, mrkdwn } from './message.js';
import { buildMergeDeployPayload, type DeployPayload, readPullRequestNumber } from './payload.js';

/** The body of GitHub's "create a deployment" request, as deploybot sends it. */
export interface DeploymentRequest {
  readonly owner: string;
  readonly repo: string;
  readonly ref: string;
  readonly environment: string;
  readonly task: 'deploy';
  /** Always false: GitHub's default (true) may answer 202 and create nothing. */
  readonly auto_merge: false;
  readonly required_contexts?: readonly string[];
  readonly description: string;
  readonly production_environment: boolean;
  readonly payload: DeployPayload;
}

export interface MergedPullRequest {
  readonly repository: string;
  readonly number: number;
  readonly title: string;
  readonly author: string;
  readonly baseRef: string;
  readonly mergeCommitSha: string;
}

export interface PlannedMergeDeploy {
  readonly channel: string;
  readonly request: DeploymentRequest;
}

/** The deployments a merged pull request asks for: one per environment that deploys its base branch. */
export function planMergeDeploys(
  config: Config,
  repo: RepoConfig,
  pr: MergedPullRequest,
): PlannedMergeDeploy[] {
  const channel = channelFor(config, repo.fullName);
  return environmentsDeployedOnMerge(repo, pr.baseRef).map((environment) => ({
    channel,
    request: {
      owner: repo.owner,
      repo: repo.name,
      ref: pr.mergeCommitSha,
      environment: environment.name,
      task: 'deploy',
      auto_merge: false,
      ...(environment.requiredContexts === undefined
        ? {}
        : { required_contexts: [...environment.requiredContexts] }),
      description: fitGitHubDescription(`Deploy #${pr.number} (${pr.title}) merged into ${pr.baseRef}`),
      production_environment: environment.production,
      payload: buildMergeDeployPayload({ author: pr.author, pullRequest: pr.number, channel }),
    },
  }));
}

export interface CheckContext {
  readonly context: string;
  readonly state: string;
}

export interface ClassifiedChecks {
  readonly failed: readonly CheckContext[];
  readonly waiting: readonly CheckContext[];
}

const FAILED_STATES = new Set(['failure', 'error', 'cancelled', 'timed_out', 'action_required']);

/** Splits the contexts of GitHub's 409 into those that failed and those still to report. */
export function classifyCheckContexts(contexts: readonly CheckContext[]): ClassifiedChecks {
  return {
    failed: contexts.filter((c) => FAILED_STATES.has(c.state)),
    waiting: contexts.filter((c) => !FAILED_STATES.has(c.state) && c.state !== 'success'),
  };
}

export interface MergeDeploySubject {
  readonly repository: string;
  readonly repositoryUrl: string;
  readonly environment: string;
  readonly sha: string;
  readonly pullRequest?: number;
}

/** What the merge deploy messages name: the commit (and its pull request) going to an environment. */
export function toMergeDeploySubject(request: DeploymentRequest, repositoryUrl: string): MergeDeploySubject {
  const pullRequest = readPullRequestNumber(request.payload);
  return {
    repository: `${request.owner}/${request.repo}`,
    repositoryUrl,
    environment: request.environment,
    sha: request.ref,
    ...(pullRequest === undefined ? {} : { pullRequest }),
  };
}

/** What a lock wait keeps of the deploy it holds back; stored as JSON, so its shape stays. */
export interface LockWaitRequest {
  readonly request: DeploymentRequest;
  readonly repositoryUrl: string;
}

/** Why GitHub refused a merge deploy: deploybot's words, and GitHub's own when they add something. */
export function describeDeployRefusal(error: DeploybotError): string {
  const text = presentError(error).text;
  const githubMessage = error.details.githubMessage;
  return typeof githubMessage === 'string' && !text.includes(githubMessage)
    ? `${text} GitHub said: "${githubMessage}"`
    : text;
}

function describeSubject(s: MergeDeploySubject): string {
  const commit = linkTo(`${s.repositoryUrl}/commit/${s.sha}`, shortSha(s.sha));
  const pr =
    s.pullRequest === undefined
      ? ''
      : ` (${linkTo(`${s.repositoryUrl}/pull/${s.pullRequest}`, `#${s.pullRequest}`)})`;
  return `*${escapeMrkdwn(s.repository)}* ${commit}${pr} to *${escapeMrkdwn(s.environment)}*`;
}

function names(contexts: readonly CheckContext[]): string {
  return contexts.map((c) => `\`${escapeMrkdwn(c.context)}\` (${c.state})`).join(', ');
}

export function renderWaitingForChecks(
  s: MergeDeploySubject,
  waiting: readonly CheckContext[],
): MessageContent {
  const list = waiting.length > 0 ? names(waiting) : 'the required checks';
  return {
    text: escapeMrkdwn(
      `${s.repository} ${shortSha(s.sha)} to ${s.environment}: waiting for CI (${waiting.map((c) => c.context).join(', ') || 'required checks'})`,
    ),
    blocks: [
      { type: 'section', text: mrkdwn(`:hourglass_flowing_sand: *Waiting for CI*: ${describeSubject(s)}`) },
      { type: 'context', elements: [mrkdwn(`Deploys when these pass: ${list}`)] },
    ],
  };
}

export function renderChecksFailed(s: MergeDeploySubject, failed: readonly CheckContext[]): MessageContent {
  return {
    text: escapeMrkdwn(
      `${s.repository} ${shortSha(s.sha)} to ${s.environment}: not deployed, checks failed (${failed.map((c) => c.context).join(', ')})`,
    ),
    blocks: [
      { type: 'section', text: mrkdwn(`:no_entry: *Not deployed*: ${describeSubject(s)}`) },
      { type: 'context', elements: [mrkdwn(`Required checks failed: ${names(failed)}`)] },
    ],
  };
}

export function renderChecksPassed(s: MergeDeploySubject, deploymentId: number): MessageContent {
  return {
    text: escapeMrkdwn(
      `${s.repository} ${shortSha(s.sha)} to ${s.environment}: checks passed, deployment ${deploymentId} created`,
    ),
    blocks: [
      { type: 'section', text: mrkdwn(`:white_check_mark: *Checks passed*: ${describeSubject(s)}`) },
      {
        type: 'context',
        elements: [mrkdwn(`Deployment ${deploymentId} created; its progress follows in its own message.`)],
      },
    ],
  };
}

export function renderDeployRefused(s: MergeDeploySubject, reason: string): MessageContent {
  return {
    text: escapeMrkdwn(`${s.repository} ${shortSha(s.sha)} to ${s.environment}: not deployed. ${reason}`),
    blocks: [
      { type: 'section', text: mrkdwn(`:warning: *Not deployed*: ${describeSubject(s)}`) },
      { type: 'context', elements: [mrkdwn(escapeMrkdwn(reason))] },
    ],
  };
}

/** A wait for CI dropped after a day: checks that never report would hold the merge for ever. */
export function renderCiWaitExpired(s: MergeDeploySubject, waitingFor: readonly string[]): MessageContent {
  const pending = waitingFor.map((context) => `\`${escapeMrkdwn(context)}\``).join(', ');
  return {
    text: escapeMrkdwn(
      `${s.repository} ${shortSha(s.sha)} to ${s.environment}: not deployed, checks did not pass within 24 hours`,
    ),
    blocks: [
      { type: 'section', text: mrkdwn(`:hourglass: *Not deployed*: ${describeSubject(s)}`) },
      {
        type: 'context',
        elements: [
          mrkdwn(
            `Required checks did not pass within 24 hours${pending === '' ? '' : ` (still waiting for ${pending})`}; deploy it from chat once they do.`,
          ),
        ],
      },
    ],
  };
}

/** A wait for CI dropped: a later merge's deployment to the environment was created first. */
export function renderSuperseded(s: MergeDeploySubject, byPullRequest: number): MessageContent {
  const by = linkTo(`${s.repositoryUrl}/pull/${byPullRequest}`, `#${byPullRequest}`);
  return {
    text: escapeMrkdwn(
      `${s.repository} ${shortSha(s.sha)} to ${s.environment}: not deployed, superseded by #${byPullRequest}`,
    ),
    blocks: [
      { type: 'section', text: mrkdwn(`:fast_forward: *Not deployed*: ${describeSubject(s)}`) },
      {
        type: 'context',
        elements: [
          mrkdwn(
            `Superseded by ${by}, whose deployment went out first; an older commit never deploys over it.`,
          ),
        ],
      },
    ],
  };
}

/** `lockText` is describeLock's sentence, already mrkdwn. */
export function renderWaitingForLock(s: MergeDeploySubject, lockText: string): MessageContent {
  return {
    text: escapeMrkdwn(
      `${s.repository} ${shortSha(s.sha)} to ${s.environment}: waiting for the environment to be unlocked`,
    ),
    blocks: [
      { type: 'section', text: mrkdwn(`:lock: *Waiting for unlock*: ${describeSubject(s)}`) },
      { type: 'context', elements: [mrkdwn(`${lockText} It deploys when the lock is released.`)] },
    ],
  };
}

/** A merged-PR deploy held by a freeze: it goes out, in order, when the freeze ends. */
export function renderWaitingForFreeze(s: MergeDeploySubject, freezeText: string): MessageContent {
  return {
    text: escapeMrkdwn(
      `${s.repository} ${shortSha(s.sha)} to ${s.environment}: waiting for the freeze to end`,
    ),
    blocks: [
      { type: 'section', text: mrkdwn(`:snowflake: *Waiting for the freeze to end*: ${describeSubject(s)}`) },
      { type: 'context', elements: [mrkdwn(`${freezeText} It deploys when the freeze ends.`)] },
    ],
  };
}

export function renderFreezeOver(s: MergeDeploySubject): MessageContent {
  return {
    text: escapeMrkdwn(
      `${s.repository} ${shortSha(s.sha)} to ${s.environment}: the freeze is over, deploying`,
    ),
    blocks: [{ type: 'section', text: mrkdwn(`:sunny: *Freeze over, deploying*: ${describeSubject(s)}`) }],
  };
}

export function renderLockReleased(s: MergeDeploySubject): MessageContent {
  return {
    text: escapeMrkdwn(`${s.repository} ${shortSha(s.sha)} to ${s.environment}: unlocked, deploying`),
    blocks: [{ type: 'section', text: mrkdwn(`:unlock: *Unlocked, deploying*: ${describeSubject(s)}`) }],
  };
}

import { DEPLOYMENT_LOOKS } from './deployment-look.js';
import { type DeploymentState, isFinalState } from './deployment-state.js';
import { formatDurationClock } from './duration.js';
import { type Block, escapeMrkdwn, linkTo, type MessageContent, mrkdwn } from './message.js';

/** What an announcement says about a deployment, whoever created it. */
export interface DeploymentFacts {
  readonly id: number;
  readonly repository: string;
  /** https://github.com/owner/name, for commit and pull request links. */
  readonly repositoryUrl: string;
  readonly ref: string;
  readonly sha: string;
  readonly environment: string;
  readonly task: string;
  /** Who deployed: the payload's deploy_user, else the deployment's creator. */
  readonly deployer: string;
  readonly createdAt: string;
  readonly pullRequest?: number;
  readonly forced?: boolean;
  readonly description?: string;
}

export interface StatusFacts {
  readonly id: number;
  readonly state: DeploymentState;
  readonly createdAt: string;
  readonly description?: string;
  readonly logUrl?: string;
  readonly environmentUrl?: string;
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** The channel message for a deployment, showing its latest status. */
export function renderAnnouncement(deployment: DeploymentFacts, status: StatusFacts): MessageContent {
  const look = DEPLOYMENT_LOOKS[status.state];
  const sha = shortSha(deployment.sha);
  const commitLink = linkTo(`${deployment.repositoryUrl}/commit/${deployment.sha}`, sha);
  const refPart = deployment.ref === deployment.sha ? '' : `\`${escapeMrkdwn(deployment.ref)}\` `;
  const headline =
    `${look.emoji} *${look.headline}*: *${escapeMrkdwn(deployment.repository)}* ${refPart}(${commitLink}) ` +
    `to *${escapeMrkdwn(deployment.environment)}*`;

  const details: string[] = [`by ${escapeMrkdwn(deployment.deployer)}`, `state \`${status.state}\``];
  const duration = durationOf(deployment, status);
  if (duration !== undefined) details.push(`took ${duration}`);
  if (deployment.pullRequest !== undefined) {
    details.push(
      linkTo(`${deployment.repositoryUrl}/pull/${deployment.pullRequest}`, `#${deployment.pullRequest}`),
    );
  }
  if (deployment.forced) details.push(':rotating_light: forced past failing checks');
  if (deployment.task !== 'deploy') details.push(`task \`${escapeMrkdwn(deployment.task)}\``);

  const links: string[] = [];
  if (status.logUrl) links.push(linkTo(status.logUrl, 'Log'));
  if (status.environmentUrl) links.push(linkTo(status.environmentUrl, status.environmentUrl));

  const blocks: Block[] = [{ type: 'section', text: mrkdwn(headline) }];
  const contextLines = [details.join(' · ')];
  if (status.description) contextLines.push(escapeMrkdwn(status.description));
  if (links.length > 0) contextLines.push(links.join(' · '));
  blocks.push({ type: 'context', elements: contextLines.map((line) => mrkdwn(line)) });

  return { text: renderFallback(deployment, status, duration), blocks };
}

/** A line in the deployment's thread recording one status. */
export function renderStatusReply(deployment: DeploymentFacts, status: StatusFacts): MessageContent {
  const look = DEPLOYMENT_LOOKS[status.state];
  const parts = [`${look.emoji} \`${status.state}\``];
  if (status.description) parts.push(escapeMrkdwn(status.description));
  const duration = durationOf(deployment, status);
  if (duration !== undefined) parts.push(`after ${duration}`);
  if (status.logUrl) parts.push(linkTo(status.logUrl, 'Log'));
  if (status.environmentUrl) parts.push(linkTo(status.environmentUrl, status.environmentUrl));
  return {
    text: escapeMrkdwn(`${deployment.repository} to ${deployment.environment}: ${status.state}`),
    blocks: [{ type: 'context', elements: [mrkdwn(parts.join(' · '))] }],
  };
}

function renderFallback(
  deployment: DeploymentFacts,
  status: StatusFacts,
  duration: string | undefined,
): string {
  const base = `${deployment.repository} ${deployment.ref} (${shortSha(deployment.sha)}) to ${deployment.environment} by ${deployment.deployer}: ${status.state}`;
  // Slack reads the fallback as mrkdwn too: an unescaped "<!channel>" in a ref would ping everyone.
  return escapeMrkdwn(duration === undefined ? base : `${base} after ${duration}`);
}

function durationOf(deployment: DeploymentFacts, status: StatusFacts): string | undefined {
  if (!isFinalState(status.state) || status.state === 'inactive') return undefined;
  const started = Date.parse(deployment.createdAt);
  const ended = Date.parse(status.createdAt);
  if (Number.isNaN(started) || Number.isNaN(ended)) return undefined;
  return formatDurationClock(ended - started);
}

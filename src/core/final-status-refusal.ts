import type { ErrorCode } from './errors.js';
import { escapeMrkdwn, type MessageContent } from './message.js';

/** The GitHub refusals of a final status that a fix of permissions ends: retried, and announced once. */
export const PERMISSION_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'github_unauthorized',
  'github_forbidden',
]);

/** How long a final status GitHub refuses for want of permission is retried, from the deploy's end. */
export const PERMISSION_RETRY_MS = 24 * 60 * 60 * 1000;

export interface RefusedFinalStatus {
  readonly deploymentId: number;
  readonly repository: string;
  readonly environment: string;
  readonly state: string;
  readonly code: ErrorCode;
}

/** What the repository's channel is told, once, when GitHub refuses a deploy's final status. */
export function describeFinalStatusRefusal(refused: RefusedFinalStatus): MessageContent {
  const what = `the final status (${refused.state}) of deployment ${refused.deploymentId} of ${refused.repository} to ${refused.environment}`;
  const why =
    refused.code === 'github_unauthorized'
      ? 'GitHub refused deploybot\'s credentials (401): check that GITHUB_TOKEN (or the GitHub App\'s key and installation) is valid, and that it has the "Deployments: write" permission'
      : 'GitHub denied it (403): the GitHub App needs the "Deployments: write" permission (a classic token: the `repo_deployment` scope)';
  return {
    text: escapeMrkdwn(
      `deploybot cannot post ${what}. ${why}. deploybot keeps trying for 24 hours after the deploy ended.`,
    ),
  };
}

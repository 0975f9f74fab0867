/** What a chat deploy tells its asker along the way, and the answers to `cancel`. */
import { escapeMrkdwn, type MessageContent, note } from './message.js';
import { mention } from './policy.js';

interface DeployShown {
  readonly repository: string;
  readonly ref: string;
  readonly environment: string;
}

const what = (d: DeployShown) =>
  `*${escapeMrkdwn(d.repository)}* \`${escapeMrkdwn(d.ref)}\` to *${escapeMrkdwn(d.environment)}*`;

export function renderApprovalRequested(channel: string): MessageContent {
  return note(`:raised_hand: Approval requested in <#${channel}>; it deploys once approved.`);
}

export function renderApproved(
  input: DeployShown & { readonly approverId: string; readonly requesterId: string },
): MessageContent {
  return note(
    `:white_check_mark: ${mention(input.approverId)} approved ${mention(input.requesterId)}'s deploy of ${what(input)}.`,
  );
}

/** An approval of a merged pull request's deploy: nobody asked in Slack, so the pull request is named. */
export function renderMergeApproved(
  input: DeployShown & { readonly approverId: string; readonly pullRequest: number; readonly author: string },
): MessageContent {
  return note(
    `:white_check_mark: ${mention(input.approverId)} approved the deploy of #${input.pullRequest} by ${escapeMrkdwn(input.author)}: ${what(input)}.`,
  );
}

export function renderDeploymentCreated(
  input: DeployShown & { readonly deploymentId: number; readonly channel: string },
): MessageContent {
  return note(
    `:rocket: Deployment ${input.deploymentId} of ${what(input)} created; its progress is announced in <#${input.channel}>.`,
  );
}

const placeOf = (repository: string, environment: string) =>
  `*${escapeMrkdwn(environment)}* of *${escapeMrkdwn(repository)}*`;

export function renderNothingToCancel(repository: string, environment: string): MessageContent {
  return { text: `Nothing is queued or running on ${placeOf(repository, environment)}.` };
}

export function renderDeploysCancelled(input: {
  readonly userId: string;
  readonly deploymentIds: readonly number[];
  readonly repository: string;
  readonly environment: string;
}): MessageContent {
  return {
    text: `:octagonal_sign: <@${input.userId}> cancelled deployment ${input.deploymentIds.join(', ')} on ${placeOf(input.repository, input.environment)}.`,
  };
}

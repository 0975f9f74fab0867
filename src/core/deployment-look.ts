/** How a deployment state looks in chat: the one table announcements, `where` and `history` share. */
import { type DeploymentState, isDeploymentState } from './deployment-state.js';

export interface DeploymentLook {
  readonly emoji: string;
  /** The announcement's headline word for the state. */
  readonly headline: string;
}

export const DEPLOYMENT_LOOKS: Readonly<Record<DeploymentState, DeploymentLook>> = {
  queued: { emoji: ':hourglass_flowing_sand:', headline: 'Queued' },
  pending: { emoji: ':large_blue_circle:', headline: 'Deploying' },
  in_progress: { emoji: ':arrows_counterclockwise:', headline: 'Deploying' },
  success: { emoji: ':white_check_mark:', headline: 'Deployed' },
  failure: { emoji: ':x:', headline: 'Deploy failed' },
  error: { emoji: ':warning:', headline: 'Deploy errored' },
  inactive: { emoji: ':white_circle:', headline: 'Superseded' },
};

/** The emoji of any state a deployment list reports: `active` (some tools' word for live) looks like `success`. */
export function stateEmoji(state: string): string {
  const known = state === 'active' ? 'success' : state;
  return isDeploymentState(known) ? DEPLOYMENT_LOOKS[known].emoji : ':grey_question:';
}

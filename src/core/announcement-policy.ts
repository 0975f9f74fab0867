import type { Config } from './config.js';
import { channelFor } from './config-lookup.js';
import { canTransition, type DeploymentState } from './deployment-state.js';

export type AnnouncementAction = 'post' | 'update' | 'keep';

export interface ShownStatus {
  readonly statusId: number;
  readonly state: DeploymentState | string;
}

/**
 * Webhooks arrive out of order and are retried, so the channel message only moves
 * forward: to a newer status (GitHub's status ids grow) that the state table allows.
 * An older or disallowed status still gets its line in the thread.
 */
export function decideAnnouncementAction(
  shown: ShownStatus | undefined,
  incoming: { readonly id: number; readonly state: DeploymentState },
): AnnouncementAction {
  if (shown === undefined) return 'post';
  if (incoming.id <= shown.statusId) return 'keep';
  const from = shown.state as DeploymentState;
  return canTransition(from, incoming.state) ? 'update' : 'keep';
}

/**
 * Where a deployment is announced, best first: the channel its payload asked for
 * (`notify.channel`/`notify.room`), the repository's channel, the default one. The first
 * that takes the message wins; a payload may name a channel deploybot is not in.
 */
export function chooseAnnouncementChannels(
  config: Config,
  repository: string,
  notifyChannel: string | undefined,
): string[] {
  const candidates = [notifyChannel, channelFor(config, repository), config.slack.channel];
  return [...new Set(candidates.filter((c): c is string => c !== undefined))];
}

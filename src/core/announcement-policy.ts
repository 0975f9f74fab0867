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

/** Who created a deployment, as announcements weigh it: deploybot itself, or anyone else. */
export type DeploymentOrigin = 'deploybot' | 'other';

/**
 * Where a deployment is announced, best first: the channel its payload asked for
 * (`notify.channel`/`notify.room`), the repository's channel, the default one. The first
 * that takes the message wins; a payload may name a channel deploybot is not in. Anyone who
 * can create a deployment writes its payload, so for one deploybot did not create the
 * payload's channel counts only when deploybot.yml names it (`slack.channel` or a
 * repository's `channel`): a payload cannot make the bot post in any channel or DM.
 */
export function chooseAnnouncementChannels(
  config: Config,
  repository: string,
  notifyChannel: string | undefined,
  origin: DeploymentOrigin,
): string[] {
  const asked =
    notifyChannel !== undefined && (origin === 'deploybot' || isNamedChannel(config, notifyChannel));
  const candidates = [
    asked ? notifyChannel : undefined,
    channelFor(config, repository),
    config.slack.channel,
  ];
  return [...new Set(candidates.filter((c): c is string => c !== undefined))];
}

/** Channel IDs compare as Slack writes them: upper case. */
function isNamedChannel(config: Config, channel: string): boolean {
  const named = [config.slack.channel, ...config.repos.map((repo) => repo.channel)];
  return named.some((c) => c !== undefined && c.toUpperCase() === channel.toUpperCase());
}

import {
  type DeploymentFacts,
  renderAnnouncement,
  renderStatusReply,
  type StatusFacts,
} from '../core/announcement.js';
import { chooseAnnouncementChannels, decideAnnouncementAction } from '../core/announcement-policy.js';
import type { Config } from '../core/config.js';
import { DeploybotError, toDeploybotError } from '../core/errors.js';
import { createKeyedQueue } from '../core/keyed-queue.js';
import type { MessageContent } from '../core/message.js';
import type { AnnouncementStore } from '../core/ports/announcement-store.js';
import type { ChatPort, PostedMessage } from '../core/ports/chat.js';
import type { IdentityPort } from '../core/ports/identity.js';
import type { LogPort } from '../core/ports/log.js';
import type { Clock } from '../core/scheduler.js';

export interface AnnounceDeploymentStatusOptions {
  readonly config: Config;
  readonly chat: ChatPort;
  readonly store: AnnouncementStore;
  readonly clock: Clock;
  /** Who deploybot is on GitHub: only its own deployments choose any channel. */
  readonly identity: IdentityPort;
}

export interface AnnounceDeploymentStatusInput {
  readonly deployment: DeploymentFacts;
  readonly status: StatusFacts;
  /** The channel the deployment's payload asked to be announced in, if any. */
  readonly notifyChannel: string | undefined;
  /** The deployment's creator on GitHub, when GitHub named one. */
  readonly creator: string | undefined;
  readonly log: LogPort;
}

export type AnnounceDeploymentStatus = (input: AnnounceDeploymentStatusInput) => Promise<void>;

/** Chat codes that say "not this channel", after which the next channel is tried. */
const CHANNEL_REFUSED = new Set(['slack_channel_not_found', 'slack_not_in_channel']);

/**
 * Keeps one chat message per deployment showing its latest state, and a thread line for each
 * of its statuses. Statuses arrive out of order and more than once: the message only moves
 * forward (announcement-policy), each status gets its line once, and a deleted message is
 * posted again. Chat failures are thrown for the delivery to be retried.
 */
export function createAnnounceDeploymentStatus(
  options: AnnounceDeploymentStatusOptions,
): AnnounceDeploymentStatus {
  const { chat, store, clock } = options;
  // One deployment's statuses are announced one at a time, so two never race for its message.
  const queue = createKeyedQueue();

  /**
   * Posts in the first channel that takes it: a payload may name a channel deploybot is not
   * in, or a hubot room name, and the announcement must not be lost for that.
   */
  async function postInFirst(
    channels: readonly string[],
    content: MessageContent,
    log: LogPort,
  ): Promise<PostedMessage> {
    let lastError: DeploybotError | undefined;
    for (const channel of channels) {
      try {
        return await chat.postMessage(channel, content);
      } catch (thrown) {
        const error = toDeploybotError(thrown);
        if (!CHANNEL_REFUSED.has(error.code)) throw error;
        log.warn({ channel, code: error.code }, 'cannot announce in this channel; trying the next');
        lastError = error;
      }
    }
    throw lastError ?? new DeploybotError('internal', 'no channel to announce in');
  }

  function saveShown(shown: PostedMessage, deployment: DeploymentFacts, status: StatusFacts) {
    return store.saveAnnouncement(
      {
        deploymentId: deployment.id,
        repository: deployment.repository,
        channel: shown.channel,
        ts: shown.ts,
        statusId: status.id,
        state: status.state,
      },
      clock.now(),
    );
  }

  async function announce(input: AnnounceDeploymentStatusInput): Promise<void> {
    const { deployment, status } = input;
    // Unknown until GitHub says who deploybot is: a failure here is retried with the delivery.
    const self = (await options.identity.identity()).login;
    const origin = input.creator?.toLowerCase() === self.toLowerCase() ? 'deploybot' : 'other';
    const channels = chooseAnnouncementChannels(
      options.config,
      deployment.repository,
      input.notifyChannel,
      origin,
    );
    const shown = await store.getAnnouncement(deployment.id);
    const action = decideAnnouncementAction(shown, status);
    const log = input.log.child({
      deployment: deployment.id,
      status: status.id,
      state: status.state,
      action,
    });
    if (shown === undefined) {
      const posted = await postInFirst(channels, renderAnnouncement(deployment, status), log);
      await saveShown(posted, deployment, status);
      await store.recordAnnouncedStatus(status.id, deployment.id, posted.ts, clock.now());
      log.info({ channel: posted.channel, ts: posted.ts }, 'deployment announced');
      return;
    }
    let message: PostedMessage = { channel: shown.channel, ts: shown.ts };
    if (action === 'update') {
      const content = renderAnnouncement(deployment, status);
      try {
        await chat.updateMessage(message.channel, message.ts, content);
      } catch (error) {
        // Someone deleted the announcement: start a new one rather than lose the status.
        if (toDeploybotError(error).code !== 'slack_message_not_found') throw error;
        message = await postInFirst([message.channel, ...channels], content, log);
      }
      await saveShown(message, deployment, status);
    }
    if (!(await store.hasAnnouncedStatus(status.id))) {
      const reply = await chat.postMessage(message.channel, renderStatusReply(deployment, status), {
        threadTs: message.ts,
      });
      await store.recordAnnouncedStatus(status.id, deployment.id, reply.ts, clock.now());
    }
    log.info({}, 'deployment status announced');
  }

  return (input) => queue.run(String(input.deployment.id), () => announce(input));
}

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
import type { KnownStatusStore } from '../core/ports/known-status-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { Clock } from '../core/scheduler.js';
import type { AnnouncedStatus } from './watch-stuck-deployments.js';

export interface AnnounceDeploymentStatusOptions {
  readonly config: Config;
  readonly chat: ChatPort;
  /** The announcements, and each deployment's latest status for readers of what runs where. */
  readonly store: AnnouncementStore & KnownStatusStore;
  readonly clock: Clock;
  /** Told of every status announced, with where its thread is (the stuck-deployment watchdog). */
  readonly onAnnounced?: (seen: AnnouncedStatus) => void;
  /** Who deploybot is on GitHub: only its own deployments choose any channel. */
  readonly identity: IdentityPort;
}

export interface AnnounceDeploymentStatusInput {
  readonly deployment: DeploymentFacts;
  readonly status: StatusFacts;
  /** The channel the deployment's payload asked to be announced in, if any. */
  readonly notifyChannel: string | undefined;
  /**
   * The thread of that channel it asked for (`notify.thread_ts`): the message is a reply
   * there and its status lines further replies, nothing at the channel's top level.
   */
  readonly notifyThreadTs?: string;
  /** The Slack user who asked for the deployment (`notify.user`). */
  readonly notifyUser?: string;
  /** The deployment's creator on GitHub, when GitHub named one. */
  readonly creator: string | undefined;
  readonly log: LogPort;
}

export type AnnounceDeploymentStatus = (input: AnnounceDeploymentStatusInput) => Promise<void>;

/**
 * Where a deployment's status lines go: its message's thread, or, for a message that is itself
 * a reply (Slack threads are one level deep), the thread it is in.
 */
function threadOf(
  thread: { readonly channel: string; readonly ts: string } | undefined,
  message: PostedMessage,
): string {
  return thread !== undefined && thread.channel === message.channel ? thread.ts : message.ts;
}

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
    key: string,
    channels: readonly string[],
    content: MessageContent,
    log: LogPort,
    thread?: { readonly channel: string; readonly ts: string },
  ): Promise<PostedMessage> {
    const earlier = await findEarlierPost(key, channels, log, thread);
    if (earlier) return earlier;
    let lastError: DeploybotError | undefined;
    for (const channel of channels) {
      try {
        // The thread is the notify channel's; a channel tried instead gets the message at its top level.
        const inThread = thread !== undefined && thread.channel === channel ? { threadTs: thread.ts } : {};
        return await chat.postMessage(channel, content, { ...inThread, key });
      } catch (thrown) {
        const error = toDeploybotError(thrown);
        if (!CHANNEL_REFUSED.has(error.code)) throw error;
        log.warn({ channel, code: error.code }, 'cannot announce in this channel; trying the next');
        lastError = error;
      }
    }
    throw lastError ?? new DeploybotError('internal', 'no channel to announce in');
  }

  /**
   * A keyed post is recorded as begun before it is made. Begun already: an earlier try (another
   * process that died, say) may have posted it and not lived to record it, so it is looked for
   * in Slack; posted twice only if Slack cannot be asked.
   */
  async function findEarlierPost(
    key: string,
    channels: readonly string[],
    log: LogPort,
    thread?: { readonly channel: string; readonly ts: string },
  ): Promise<PostedMessage | undefined> {
    const begun = await store.beginChatPost(key, clock.now());
    if (begun === undefined) return undefined;
    for (const channel of channels) {
      const threadTs = thread !== undefined && thread.channel === channel ? thread.ts : undefined;
      try {
        const found = await chat.findPostedMessage(channel, {
          key,
          ...(threadTs === undefined ? {} : { threadTs }),
        });
        if (found) {
          log.info({ channel, ts: found.ts, begunAt: begun }, 'found the message an earlier try posted');
          return found;
        }
      } catch (error) {
        log.warn({ err: error, channel }, 'could not look for a message an earlier try may have posted');
      }
    }
    return undefined;
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
    // Remembered first: what runs where is read from it even if the announcement fails.
    await store.rememberStatuses([
      {
        deploymentId: deployment.id,
        repository: deployment.repository,
        statusId: status.id,
        state: status.state,
        createdAt: Date.parse(status.createdAt),
        ...(status.logUrl === undefined ? {} : { logUrl: status.logUrl }),
        ...(status.environmentUrl === undefined ? {} : { environmentUrl: status.environmentUrl }),
      },
    ]);
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
    // A thread only in a channel the deployment may choose: its payload cannot thread elsewhere.
    const thread =
      input.notifyThreadTs === undefined ||
      input.notifyChannel === undefined ||
      channels[0] !== input.notifyChannel
        ? undefined
        : { channel: input.notifyChannel, ts: input.notifyThreadTs };
    const action = decideAnnouncementAction(shown, status);
    const log = input.log.child({
      deployment: deployment.id,
      status: status.id,
      state: status.state,
      action,
    });
    if (shown === undefined) {
      const posted = await postInFirst(
        `deployment:${deployment.id}`,
        channels,
        renderAnnouncement(deployment, status),
        log,
        thread,
      );
      await saveShown(posted, deployment, status);
      await store.recordAnnouncedStatus(status.id, deployment.id, posted.ts, clock.now());
      log.info({ channel: posted.channel, ts: posted.ts }, 'deployment announced');
      told(input, posted, threadOf(thread, posted));
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
        message = await postInFirst(
          `deployment:${deployment.id}:again:${status.id}`,
          [message.channel, ...channels],
          content,
          log,
          thread,
        );
      }
      await saveShown(message, deployment, status);
    }
    if (!(await store.hasAnnouncedStatus(status.id))) {
      const threadTs = threadOf(thread, message);
      const reply = await postInFirst(
        `status:${status.id}`,
        [message.channel],
        renderStatusReply(deployment, status),
        log,
        { channel: message.channel, ts: threadTs },
      );
      await store.recordAnnouncedStatus(status.id, deployment.id, reply.ts, clock.now());
    }
    log.info({}, 'deployment status announced');
    told(input, message, threadOf(thread, message));
  }

  function told(input: AnnounceDeploymentStatusInput, message: PostedMessage, threadTs: string): void {
    options.onAnnounced?.({
      deployment: input.deployment,
      status: input.status,
      channel: message.channel,
      threadTs,
      ...(input.notifyUser === undefined ? {} : { notifyUser: input.notifyUser }),
    });
  }

  return (input) => queue.run(String(input.deployment.id), () => announce(input));
}

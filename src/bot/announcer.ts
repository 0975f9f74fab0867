import type { WebClient } from '@slack/web-api';
import {
  type DeploymentFacts,
  renderAnnouncement,
  renderStatusReply,
  type StatusFacts,
} from '../core/announcement.js';
import { decideAnnouncementAction } from '../core/announcement-policy.js';
import type { MessageContent } from '../core/message.js';
import type { AnnouncementStore } from '../core/ports/announcement-store.js';
import type { Announcer } from '../core/ports.js';
import type { Clock } from '../core/scheduler.js';
import type { Logger } from '../logger.js';
import { mapSlackError } from './slack-errors.js';

export interface SlackAnnouncerOptions {
  readonly client: WebClient;
  readonly store: AnnouncementStore;
  readonly clock: Clock;
  readonly logger: Logger;
}

export function createSlackAnnouncer(options: SlackAnnouncerOptions): Announcer {
  const { client, store, clock, logger } = options;
  const locks = new Map<number, Promise<void>>();

  async function postMessage(channel: string, content: MessageContent, opts: { threadTs?: string } = {}) {
    try {
      const result = await client.chat.postMessage({
        channel,
        text: content.text,
        ...(content.blocks ? { blocks: content.blocks as never } : {}),
        ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
        unfurl_links: false,
        unfurl_media: false,
      });
      if (typeof result.ts !== 'string') throw new Error('chat.postMessage answered without a ts');
      return result.ts;
    } catch (error) {
      throw mapSlackError(error, { channel });
    }
  }

  async function updateMessage(channel: string, ts: string, content: MessageContent) {
    try {
      await client.chat.update({
        channel,
        ts,
        text: content.text,
        ...(content.blocks ? { blocks: content.blocks as never } : {}),
      });
    } catch (error) {
      throw mapSlackError(error, { channel });
    }
  }

  /**
   * Posts in the first channel that takes it: a payload may name a channel deploybot is not
   * in, or a hubot room name, and the announcement must not be lost for that.
   */
  async function postInFirst(channels: readonly string[], content: MessageContent) {
    let lastError: unknown;
    for (const channel of channels) {
      try {
        const result = await client.chat.postMessage({
          channel,
          text: content.text,
          ...(content.blocks ? { blocks: content.blocks as never } : {}),
          unfurl_links: false,
          unfurl_media: false,
        });
        if (typeof result.ts !== 'string') throw new Error('chat.postMessage answered without a ts');
        // Slack answers with the channel's ID; updates need it, whatever name was given.
        return { channel: typeof result.channel === 'string' ? result.channel : channel, ts: result.ts };
      } catch (error) {
        const mapped = mapSlackError(error, { channel });
        if (mapped.code !== 'slack_channel_not_found' && mapped.code !== 'slack_not_in_channel') throw mapped;
        logger.warn({ channel, code: mapped.code }, 'cannot announce in this channel; trying the next');
        lastError = mapped;
      }
    }
    throw lastError ?? mapSlackError(new Error('no channel to announce in'));
  }

  async function announce(
    channels: readonly string[],
    deployment: DeploymentFacts,
    status: StatusFacts,
  ): Promise<void> {
    const shown = await store.getAnnouncement(deployment.id);
    const action = decideAnnouncementAction(shown, status);
    const log = logger.child({ deployment: deployment.id, status: status.id, state: status.state, action });
    if (shown === undefined) {
      const { channel, ts } = await postInFirst(channels, renderAnnouncement(deployment, status));
      await saveShown(channel, ts, deployment, status);
      await store.recordAnnouncedStatus(status.id, deployment.id, ts, clock.now());
      log.info({ channel, ts }, 'deployment announced');
      return;
    }
    let { channel: shownChannel, ts: shownTs } = shown;
    if (action === 'update') {
      try {
        await updateMessage(shownChannel, shownTs, renderAnnouncement(deployment, status));
      } catch (error) {
        // Someone deleted the announcement: start a new one rather than lose the status.
        if (mapSlackError(error).code !== 'slack_message_not_found') throw error;
        ({ channel: shownChannel, ts: shownTs } = await postInFirst(
          [shownChannel, ...channels],
          renderAnnouncement(deployment, status),
        ));
      }
      await saveShown(shownChannel, shownTs, deployment, status);
    }
    if (!(await store.hasAnnouncedStatus(status.id))) {
      const replyTs = await postMessage(shownChannel, renderStatusReply(deployment, status), {
        threadTs: shownTs,
      });
      await store.recordAnnouncedStatus(status.id, deployment.id, replyTs, clock.now());
    }
    log.info('deployment status announced');
  }

  function saveShown(channel: string, ts: string, deployment: DeploymentFacts, status: StatusFacts) {
    return store.saveAnnouncement(
      {
        deploymentId: deployment.id,
        repository: deployment.repository,
        channel,
        ts,
        statusId: status.id,
        state: status.state,
      },
      clock.now(),
    );
  }

  return {
    postMessage,
    updateMessage,
    // One deployment's statuses are announced one at a time, so two never race for its message.
    announceDeploymentStatus(channels, deployment, status) {
      const previous = locks.get(deployment.id) ?? Promise.resolve();
      const next = previous.catch(() => undefined).then(() => announce(channels, deployment, status));
      const settled = next.catch(() => undefined);
      locks.set(deployment.id, settled);
      void settled.then(() => {
        if (locks.get(deployment.id) === settled) locks.delete(deployment.id);
      });
      return next;
    },
  };
}

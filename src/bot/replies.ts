import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { MessageContent } from '../core/message.js';
import { mapSlackError } from './slack-errors.js';

/** How an answer reaches the person who asked: only them, or the whole channel. */
export interface Replier {
  /** Only the asker sees it: mistakes, refusals, prompts. */
  private(content: MessageContent): Promise<void>;
  /** The channel sees it: locks, unlocks. */
  public(content: MessageContent): Promise<void>;
}

const asBlocks = (content: MessageContent) => ({
  text: content.text,
  ...(content.blocks ? { blocks: content.blocks as never } : {}),
});

/** Slash commands and buttons answer through their response_url, which works even in channels the bot is not in. */
export function createResponseReplier(
  respond: RespondFn,
  options: { readonly replaceOriginal: boolean },
): Replier {
  return {
    async private(content) {
      await respond({
        response_type: 'ephemeral',
        replace_original: options.replaceOriginal,
        ...asBlocks(content),
      });
    },
    async public(content) {
      await respond({ response_type: 'in_channel', replace_original: false, ...asBlocks(content) });
    },
  };
}

/** A mention has no response_url: private answers are ephemeral messages, public ones go in its thread. */
export function createMentionReplier(
  client: WebClient,
  where: { readonly channel: string; readonly user: string; readonly threadTs: string },
): Replier {
  return {
    async private(content) {
      try {
        await client.chat.postEphemeral({
          channel: where.channel,
          user: where.user,
          thread_ts: where.threadTs,
          ...asBlocks(content),
        });
      } catch (error) {
        throw mapSlackError(error, { channel: where.channel });
      }
    },
    async public(content) {
      try {
        await client.chat.postMessage({
          channel: where.channel,
          thread_ts: where.threadTs,
          ...asBlocks(content),
        });
      } catch (error) {
        throw mapSlackError(error, { channel: where.channel });
      }
    },
  };
}

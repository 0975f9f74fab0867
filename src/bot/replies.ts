import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { MessageContent } from '../core/message.js';
import type { Replier } from '../core/ports/chat.js';
import { mapSlackError } from './slack-errors.js';

const asBlocks = (content: MessageContent) => ({
  text: content.text,
  ...(content.blocks ? { blocks: content.blocks as never } : {}),
});

/**
 * Slash commands and buttons answer through their response_url, which works even in channels
 * the bot is not in. `replaceOriginal` answers in place of the message that asked (a prompt,
 * "Working on it…"); a public answer replaces only a public message (an approval request).
 */
export function createResponseReplier(
  respond: RespondFn,
  options: { readonly replaceOriginal: boolean; readonly originalIsPublic?: boolean },
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
      const replace = options.replaceOriginal && options.originalIsPublic === true;
      await respond({ response_type: 'in_channel', replace_original: replace, ...asBlocks(content) });
    },
  };
}

/**
 * Without a response_url (a mention, or answering someone other than who pressed a button):
 * private answers are ephemeral messages to `user`, public ones go in the thread, if any.
 */
export function createMessageReplier(
  client: WebClient,
  where: { readonly channel: string; readonly user: string; readonly threadTs?: string },
): Replier {
  const thread = where.threadTs === undefined ? {} : { thread_ts: where.threadTs };
  return {
    async private(content) {
      try {
        await client.chat.postEphemeral({
          channel: where.channel,
          user: where.user,
          ...thread,
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
          ...thread,
          ...asBlocks(content),
        });
      } catch (error) {
        throw mapSlackError(error, { channel: where.channel });
      }
    },
  };
}

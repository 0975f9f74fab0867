import type { WebClient } from '@slack/web-api';
import type { MessageContent } from '../core/message.js';
import type { Replier } from '../core/ports/chat.js';
import { mapSlackError } from './slack-errors.js';

/**
 * Answers to what was asked from the App Home or a modal, which have no channel and no
 * response_url: private answers (refusals, prompts, outcomes) come as a direct message from
 * deploybot, public ones go to the repository's channel.
 */
export function createHomeReplier(
  client: WebClient,
  where: { readonly user: string; readonly channel: string },
): Replier {
  async function post(channel: string, content: MessageContent): Promise<void> {
    try {
      await client.chat.postMessage({
        channel,
        text: content.text,
        ...(content.blocks ? { blocks: content.blocks as never } : {}),
        unfurl_links: false,
      });
    } catch (error) {
      throw mapSlackError(error, { channel });
    }
  }
  return {
    private: (content) => post(where.user, content),
    public: (content) => post(where.channel, content),
  };
}

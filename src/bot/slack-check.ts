import { WebClient } from '@slack/web-api';
import type { SlackCheckPort } from '../core/ports/slack-check.js';
import type { Logger } from '../logger.js';
import { createBoltLogger } from './bolt-logger.js';
import { mapSlackError } from './slack-errors.js';

/** Slack as `deploybot check` asks it, with the bot token: who it is, what it can reach. */
export function createSlackCheck(options: {
  readonly botToken: string;
  readonly apiUrl: string | undefined;
  readonly fetch: typeof globalThis.fetch;
  readonly logger: Logger;
}): SlackCheckPort {
  const client = new WebClient(options.botToken, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    // A check answers now: one quick retry, not Slack's half hour.
    retryConfig: { retries: 1, factor: 1, minTimeout: 500, maxTimeout: 500 },
    rejectRateLimitedCalls: true,
    fetch: options.fetch,
    logger: createBoltLogger(options.logger),
  });
  return {
    async signIn() {
      try {
        const result = await client.auth.test();
        const scopes = result.response_metadata?.scopes;
        return {
          user: result.user ?? '',
          userId: result.user_id ?? '',
          team: result.team ?? '',
          scopes: Array.isArray(scopes) ? scopes : undefined,
        };
      } catch (error) {
        throw mapSlackError(error);
      }
    },
    async channel(id) {
      try {
        const { channel } = await client.conversations.info({ channel: id });
        return {
          id,
          name: channel?.name,
          isPrivate: channel?.is_private === true,
          isMember: channel?.is_member === true,
          isArchived: channel?.is_archived === true,
        };
      } catch (error) {
        throw mapSlackError(error, { channel: id });
      }
    },
  };
}

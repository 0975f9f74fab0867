import { type WebClient, WebClientEvent } from '@slack/web-api';
import type { MessageContent } from '../core/message.js';
import type { ChatPort, ChatUser } from '../core/ports/chat.js';
import type { ApiMetrics } from '../core/ports/metrics.js';
import type { Clock } from '../core/scheduler.js';
import type { Logger } from '../logger.js';
import { mapSlackError } from './slack-errors.js';

/** The metadata event type of deploybot's keyed posts (findPostedMessage). */
const POST_EVENT_TYPE = 'deploybot_post';

// Group membership changes rarely and permission checks happen on every command.
const GROUP_CACHE_MS = 60_000;
// A user turned guest (or removed from a shared channel) loses access within this.
const USER_CACHE_MS = 60_000;

const asBlocks = (content: MessageContent) => ({
  text: content.text,
  ...(content.blocks ? { blocks: content.blocks as never } : {}),
});

/** Slack's Web API behind the chat port; Slack's failures become DeploybotErrors with Slack codes. */
export function createSlackChat(options: {
  readonly client: WebClient;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Told of every call and 429. */
  readonly metrics?: ApiMetrics;
}): ChatPort {
  const { client, clock, logger, metrics } = options;
  if (metrics !== undefined) {
    // The client waits out a 429 and tries again (Bolt does not reject rate-limited calls).
    client.on(WebClientEvent.RATE_LIMITED, (_retryAfter: number, request: { url?: unknown }) => {
      // The client names the whole URL; the method is its last segment (…/api/chat.postMessage).
      const url = typeof request?.url === 'string' ? request.url : '';
      metrics.rateLimited('slack', /([\w.]+)\/?$/.exec(url.split('?')[0] ?? '')?.[1] ?? 'unknown', true);
    });
  }
  /** Calls Slack's `method`, counting the outcome: ok, or Slack's error. */
  async function counted<T>(method: string, call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      metrics?.apiCall({ service: 'slack', method, outcome: 'ok', retry: false });
      return result;
    } catch (error) {
      const mapped = mapSlackError(error);
      const slackError = mapped.details.slackError;
      const outcome = typeof slackError === 'string' ? slackError : mapped.code;
      metrics?.apiCall({ service: 'slack', method, outcome, retry: false });
      throw error;
    }
  }
  const groups = new Map<string, { readonly at: number; readonly members: ReadonlySet<string> }>();
  const users = new Map<string, { readonly at: number; readonly user: ChatUser }>();
  let workspace: Promise<string> | undefined;

  async function lookUpUser(userId: string): Promise<ChatUser> {
    try {
      const result = await client.users.info({ user: userId });
      const user = result.user;
      return {
        teamId: typeof user?.team_id === 'string' ? user.team_id : undefined,
        isGuest: user?.is_restricted === true || user?.is_ultra_restricted === true,
        name: user?.name ?? userId,
      };
    } catch (error) {
      const mapped = mapSlackError(error, { user: userId });
      if (mapped.retryable) throw mapped;
      // A user Slack does not know belongs to no workspace of ours.
      logger.warn({ user: userId, slackError: mapped.details.slackError }, 'user lookup failed');
      return { teamId: undefined, isGuest: false, name: userId };
    }
  }

  return {
    async postMessage(channel, content, opts = {}) {
      try {
        const result = await counted('chat.postMessage', () =>
          client.chat.postMessage({
            channel,
            ...asBlocks(content),
            ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
            ...(opts.key === undefined
              ? {}
              : { metadata: { event_type: POST_EVENT_TYPE, event_payload: { key: opts.key } } }),
            unfurl_links: false,
            unfurl_media: false,
          }),
        );
        if (typeof result.ts !== 'string') throw new Error('chat.postMessage answered without a ts');
        // Slack answers with the channel's ID; updates need it, whatever name was given.
        return { channel: typeof result.channel === 'string' ? result.channel : channel, ts: result.ts };
      } catch (error) {
        throw mapSlackError(error, { channel });
      }
    },

    async findPostedMessage(channel, query) {
      // The newest messages, not those after a time: Slack's clock and ours may differ, and the
      // post looked for was made moments ago (at most a lease's lifetime).
      try {
        const result =
          query.threadTs === undefined
            ? await counted('conversations.history', () =>
                client.conversations.history({ channel, include_all_metadata: true, limit: 200 }),
              )
            : await counted('conversations.replies', () =>
                client.conversations.replies({
                  channel,
                  ts: query.threadTs as string,
                  include_all_metadata: true,
                  limit: 200,
                }),
              );
        const found = (result.messages ?? []).find(
          (m) =>
            m.metadata?.event_type === POST_EVENT_TYPE &&
            (m.metadata.event_payload as { key?: unknown } | undefined)?.key === query.key,
        );
        return typeof found?.ts === 'string' ? { channel, ts: found.ts } : undefined;
      } catch (error) {
        throw mapSlackError(error, { channel });
      }
    },

    async updateMessage(channel, ts, content) {
      try {
        await counted('chat.update', () => client.chat.update({ channel, ts, ...asBlocks(content) }));
      } catch (error) {
        throw mapSlackError(error, { channel });
      }
    },

    async postEphemeral(channel, user, content, opts = {}) {
      try {
        await counted('chat.postEphemeral', () =>
          client.chat.postEphemeral({
            channel,
            user,
            ...(opts.threadTs === undefined ? {} : { thread_ts: opts.threadTs }),
            ...asBlocks(content),
          }),
        );
      } catch (error) {
        throw mapSlackError(error, { channel });
      }
    },

    async userGroupMembers(group) {
      const now = clock.now();
      const cached = groups.get(group);
      if (cached && now - cached.at < GROUP_CACHE_MS) return cached.members;
      let members: ReadonlySet<string>;
      try {
        const result = await counted('usergroups.users.list', () =>
          client.usergroups.users.list({ usergroup: group }),
        );
        members = new Set(result.users ?? []);
      } catch (error) {
        const mapped = mapSlackError(error, { usergroup: group });
        // A group deleted or renamed in Slack grants nothing; only an unreachable Slack stops the command.
        if (mapped.retryable) throw mapped;
        logger.warn({ usergroup: group, slackError: mapped.details.slackError }, 'user group lookup failed');
        members = new Set();
      }
      groups.set(group, { at: now, members });
      return members;
    },

    async userInfo(userId) {
      const now = clock.now();
      const cached = users.get(userId);
      if (cached && now - cached.at < USER_CACHE_MS) return cached.user;
      const user = await lookUpUser(userId);
      users.set(userId, { at: now, user });
      return user;
    },

    workspaceId() {
      workspace ??= client.auth.test().then(
        (result) => {
          if (typeof result.team_id !== 'string') throw new Error('auth.test answered without a team_id');
          return result.team_id;
        },
        (error: unknown) => {
          throw mapSlackError(error, {});
        },
      );
      // A failed look-up is asked again next time.
      workspace.catch(() => {
        workspace = undefined;
      });
      return workspace;
    },

    async userHandle(userId) {
      try {
        const result = await counted('users.info', () => client.users.info({ user: userId }));
        return result.user?.name ?? userId;
      } catch {
        return userId;
      }
    },
  };
}

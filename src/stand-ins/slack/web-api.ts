import type { ApiArgs, ApiResponse, SlackMessage } from './types.js';
import { viewHandlers } from './views.js';
import { APP_ID, BOT_ID, TEAM_DOMAIN, TEAM_NAME, type Workspace } from './workspace.js';

const MAX_TEXT_LENGTH = 40_000;
const WORKSPACE_URL = `https://${TEAM_DOMAIN}.slack.com/`;

type Handler = (ws: Workspace, args: ApiArgs, ctx: { socketUrl: () => string }) => ApiResponse;

function fail(error: string, extra: Record<string, unknown> = {}): ApiResponse {
  return { ok: false, error, ...extra };
}

// JSON bodies may carry numbers (e.g. a float thread_ts); form bodies only strings.
function stringArg(args: ApiArgs, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function toWireMessage(ws: Workspace, m: SlackMessage, withMetadata = false): Record<string, unknown> {
  const isBot = m.user === ws.botUserId;
  return {
    ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
    type: 'message',
    user: m.user,
    ...(isBot ? { bot_id: BOT_ID, app_id: APP_ID } : {}),
    text: m.text,
    ts: m.ts,
    team: ws.teamId,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
    ...(m.edits > 0 ? { edited: { user: m.user, ts: m.ts } } : {}),
    ...(m.reactions.length > 0
      ? { reactions: m.reactions.map((r) => ({ ...r, count: r.users.length })) }
      : {}),
  };
}

/** chat.postMessage's `metadata` (a JSON string over the wire): event_type and event_payload, or 'invalid'. */
function readMetadata(value: unknown): SlackMessage['metadata'] | 'invalid' {
  if (value === undefined) return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return 'invalid';
    }
  }
  const m = parsed as { event_type?: unknown; event_payload?: unknown } | null;
  if (typeof m?.event_type !== 'string' || typeof m.event_payload !== 'object' || m.event_payload === null)
    return 'invalid';
  return { event_type: m.event_type, event_payload: m.event_payload as Record<string, unknown> };
}

/** Validates text/blocks as chat.postMessage, chat.postEphemeral and chat.update do. */
function readContent(
  args: ApiArgs,
): { text: string | undefined; blocks: unknown[] | undefined } | ApiResponse {
  const text = stringArg(args, 'text');
  const rawBlocks = args.blocks;
  if (rawBlocks !== undefined && !Array.isArray(rawBlocks)) return fail('invalid_blocks');
  if (text !== undefined && text.length > MAX_TEXT_LENGTH) return fail('msg_too_long');
  return { text, blocks: rawBlocks as unknown[] | undefined };
}

const handlers: Record<string, Handler> = {
  'auth.test': (ws) => ({
    ok: true,
    url: WORKSPACE_URL,
    team: TEAM_NAME,
    user: 'deploybot',
    team_id: ws.teamId,
    user_id: ws.botUserId,
    bot_id: BOT_ID,
    is_enterprise_install: false,
  }),

  'chat.postMessage': (ws, args) => {
    const channel = ws.resolveChannel(stringArg(args, 'channel') ?? '');
    if (!channel) return fail('channel_not_found');
    const content = readContent(args);
    if ('ok' in content) return content;
    if (!content.text && !content.blocks?.length && args.attachments === undefined) return fail('no_text');
    let threadTs = stringArg(args, 'thread_ts') || undefined;
    if (threadTs) {
      const parent = ws.findMessage(channel, threadTs);
      // Real Slack is lenient here; failing loudly catches a ts taken from the wrong channel.
      if (!parent) return fail('thread_not_found');
      threadTs = parent.thread_ts ?? parent.ts;
    }
    const metadata = readMetadata(args.metadata);
    if (metadata === 'invalid') return fail('invalid_metadata_format');
    const message = ws.addMessage({
      channel,
      ts: ws.nextTs(),
      text: content.text ?? '',
      blocks: content.blocks,
      thread_ts: threadTs,
      metadata,
      user: ws.botUserId,
      bot_id: BOT_ID,
    });
    return { ok: true, channel, ts: message.ts, message: toWireMessage(ws, message) };
  },

  'chat.update': (ws, args) => {
    const channel = stringArg(args, 'channel') ?? '';
    if (!ws.isKnownChannel(channel)) return fail('channel_not_found');
    const message = ws.findMessage(channel, stringArg(args, 'ts') ?? '');
    if (!message) return fail('message_not_found');
    if (message.user !== ws.botUserId) return fail('cant_update_message');
    const content = readContent(args);
    if ('ok' in content) return content;
    if (content.text === undefined && content.blocks === undefined && args.attachments === undefined) {
      return fail('no_text');
    }
    message.history.push({ text: message.text, blocks: message.blocks });
    // Omitted fields keep their previous value, as Slack documents for chat.update.
    if (content.text !== undefined) message.text = content.text;
    if (content.blocks !== undefined) message.blocks = content.blocks;
    message.edits += 1;
    return { ok: true, channel, ts: message.ts, text: message.text, message: toWireMessage(ws, message) };
  },

  'chat.postEphemeral': (ws, args) => {
    const channel = ws.resolveChannel(stringArg(args, 'channel') ?? '');
    if (!channel) return fail('channel_not_found');
    const user = stringArg(args, 'user') ?? '';
    if (!ws.users.has(user)) return fail('user_not_in_channel');
    const content = readContent(args);
    if ('ok' in content) return content;
    if (!content.text && !content.blocks?.length && args.attachments === undefined) return fail('no_text');
    const messageTs = ws.nextTs();
    const threadTs = stringArg(args, 'thread_ts');
    ws.ephemerals.push({
      channel,
      user,
      text: content.text ?? '',
      blocks: content.blocks,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      message_ts: messageTs,
    });
    return { ok: true, message_ts: messageTs };
  },

  'chat.getPermalink': (ws, args) => {
    const channel = stringArg(args, 'channel') ?? '';
    if (!ws.isKnownChannel(channel)) return fail('channel_not_found');
    const message = ws.findMessage(channel, stringArg(args, 'message_ts') ?? '');
    if (!message) return fail('message_not_found');
    const base = `${WORKSPACE_URL}archives/${channel}/p${message.ts.replace('.', '')}`;
    const isReply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
    const permalink = isReply ? `${base}?thread_ts=${message.thread_ts}&cid=${channel}` : base;
    return { ok: true, channel, permalink };
  },

  'reactions.add': (ws, args) => {
    const channel = stringArg(args, 'channel') ?? '';
    if (!ws.isKnownChannel(channel)) return fail('channel_not_found');
    const message = ws.findMessage(channel, stringArg(args, 'timestamp') ?? '');
    if (!message) return fail('message_not_found');
    const name = stringArg(args, 'name');
    if (!name) return fail('invalid_name');
    const reaction = message.reactions.find((r) => r.name === name);
    if (reaction?.users.includes(ws.botUserId)) return fail('already_reacted');
    if (reaction) reaction.users.push(ws.botUserId);
    else message.reactions.push({ name, users: [ws.botUserId] });
    return { ok: true };
  },

  'users.info': (ws, args) => {
    const id = stringArg(args, 'user') ?? '';
    const isBot = id === ws.botUserId;
    const user = isBot ? { id, name: 'deploybot', realName: 'Deploybot' } : ws.users.get(id);
    if (!user) return fail('user_not_found');
    const realName = user.realName ?? user.name;
    return {
      ok: true,
      user: {
        id: user.id,
        team_id: 'teamId' in user && user.teamId !== undefined ? user.teamId : ws.teamId,
        name: user.name,
        real_name: realName,
        deleted: false,
        is_bot: isBot,
        is_admin: false,
        is_restricted: 'isRestricted' in user && user.isRestricted === true,
        is_ultra_restricted: 'isUltraRestricted' in user && user.isUltraRestricted === true,
        tz: 'Europe/London',
        profile: {
          display_name: user.name,
          display_name_normalized: user.name,
          real_name: realName,
          real_name_normalized: realName,
          ...(isBot ? { bot_id: BOT_ID } : {}),
        },
      },
    };
  },

  'usergroups.users.list': (ws, args) => {
    const users = ws.userGroups.get(stringArg(args, 'usergroup') ?? '');
    return users ? { ok: true, users: [...users] } : fail('no_such_subteam');
  },

  'conversations.info': (ws, args) => {
    const id = stringArg(args, 'channel') ?? '';
    if (!ws.isKnownChannel(id)) return fail('channel_not_found');
    const isIm = id.startsWith('D');
    const isPrivate = isIm || ws.privateChannels.has(id);
    const isMember = !ws.notMemberOf.has(id);
    // A private channel the bot is not in does not exist, as far as the bot can tell.
    if (isPrivate && !isMember) return fail('channel_not_found');
    const name = ws.channelName(id);
    return {
      ok: true,
      channel: {
        id,
        ...(isIm ? {} : { name, name_normalized: name }),
        is_channel: !isIm,
        is_group: false,
        is_im: isIm,
        is_private: isPrivate,
        is_archived: false,
        is_general: false,
        is_member: isMember,
        created: 1_690_000_000,
        ...(isIm ? { user: `U${id.slice(1)}` } : { topic: { value: '' }, purpose: { value: '' } }),
      },
    };
  },

  'conversations.history': (ws, args) => {
    const channel = stringArg(args, 'channel') ?? '';
    if (!ws.isKnownChannel(channel)) return fail('channel_not_found');
    const limit = Number(stringArg(args, 'limit') ?? 100);
    const oldest = Number(stringArg(args, 'oldest') ?? 0);
    const withMetadata = String(args.include_all_metadata) === 'true';
    const topLevel = ws.messages.filter(
      (m) => m.channel === channel && (m.thread_ts ?? m.ts) === m.ts && Number(m.ts) > oldest,
    );
    const newestFirst = [...topLevel].reverse().slice(0, limit);
    return {
      ok: true,
      messages: newestFirst.map((m) => toWireMessage(ws, m, withMetadata)),
      has_more: topLevel.length > newestFirst.length,
      pin_count: 0,
      response_metadata: { next_cursor: '' },
    };
  },

  'conversations.replies': (ws, args) => {
    const channel = stringArg(args, 'channel') ?? '';
    if (!ws.isKnownChannel(channel)) return fail('channel_not_found');
    const parent = ws.findMessage(channel, stringArg(args, 'ts') ?? '');
    if (!parent) return fail('thread_not_found');
    const root = parent.thread_ts ?? parent.ts;
    const withMetadata = String(args.include_all_metadata) === 'true';
    const oldest = Number(stringArg(args, 'oldest') ?? 0);
    const thread = ws.messages.filter(
      (m) => m.channel === channel && (m.ts === root || (m.thread_ts === root && Number(m.ts) > oldest)),
    );
    return {
      ok: true,
      messages: thread.map((m) => toWireMessage(ws, m, withMetadata)),
      has_more: false,
      response_metadata: { next_cursor: '' },
    };
  },

  'apps.connections.open': (_ws, _args, ctx) => ({ ok: true, url: ctx.socketUrl() }),
  ...viewHandlers,
};

/** Answers one Web API call the way Slack would, after authentication. */
export function invokeWebApi(
  ws: Workspace,
  method: string,
  args: ApiArgs,
  token: string | undefined,
  ctx: { socketUrl: () => string },
): ApiResponse {
  const handler = handlers[method];
  if (!handler) return fail('unknown_method', { req_method: method });
  if (!token) return fail('not_authed');
  const wanted = method === 'apps.connections.open' ? ws.appToken : ws.botToken;
  if (token !== wanted) {
    const isOtherKnownToken = token === ws.appToken || token === ws.botToken;
    return fail(isOtherKnownToken ? 'not_allowed_token_type' : 'invalid_auth');
  }
  return handler(ws, args, ctx);
}

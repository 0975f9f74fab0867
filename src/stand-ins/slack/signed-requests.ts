import { createHmac, randomBytes } from 'node:crypto';
import type { SignedRequestOptions, SignedRequestResult, SlashCommandInput } from './types.js';
import { issueTriggerId } from './views.js';
import { APP_ID, TEAM_DOMAIN, VERIFICATION_TOKEN, type Workspace } from './workspace.js';

const SLACKBOT_USER_AGENT = 'Slackbot 1.0 (+https://api.slack.com/robots)';
const MESSAGE_LIKE_EVENTS = new Set(['app_mention', 'message']);

/** `v0=` + HMAC-SHA256 over `v0:<timestamp>:<raw body>`, exactly what Bolt recomputes. */
export function signSlackRequest(signingSecret: string, timestamp: number, rawBody: string): string {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex');
  return `v0=${digest}`;
}

export async function sendSignedRequest(
  url: string,
  signingSecret: string,
  rawBody: string,
  contentType: string,
  opts: SignedRequestOptions = {},
): Promise<SignedRequestResult> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    // Bolt compares the content type verbatim, so no charset suffix (Slack sends none either).
    'content-type': contentType,
    'user-agent': SLACKBOT_USER_AGENT,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': opts.signature ?? signSlackRequest(signingSecret, timestamp, rawBody),
  };
  if (opts.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(opts.retryNum);
    headers['x-slack-retry-reason'] = opts.retryReason ?? 'http_timeout';
  }
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers, body: rawBody });
  const body = await response.text();
  return { status: response.status, body, elapsedMs: performance.now() - started };
}

function userName(ws: Workspace, userId: string): string {
  return ws.users.get(userId)?.name ?? userId.toLowerCase();
}

export function buildSlashCommandFields(
  ws: Workspace,
  cmd: SlashCommandInput,
  freshResponseUrl: () => string,
): Record<string, string> {
  const userId = cmd.userId ?? ws.defaultUserId;
  const channelId = cmd.channelId ?? ws.defaultChannel;
  // Insertion order matches the form Slack posts.
  return {
    token: VERIFICATION_TOKEN,
    team_id: ws.teamId,
    team_domain: TEAM_DOMAIN,
    channel_id: channelId,
    channel_name: ws.channelName(channelId),
    user_id: userId,
    user_name: cmd.userName ?? userName(ws, userId),
    command: cmd.command ?? '/deploy',
    text: cmd.text,
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: cmd.responseUrl ?? freshResponseUrl(),
    trigger_id: cmd.triggerId ?? issueTriggerId(ws),
  };
}

/**
 * Fills what Slack always sets on message-like events and records the triggering message, so the
 * app can reply in its thread or fetch a permalink for it.
 */
export function completeEvent(ws: Workspace, event: object): Record<string, unknown> {
  const completed: Record<string, unknown> = { ...event };
  if (typeof completed.type !== 'string' || !MESSAGE_LIKE_EVENTS.has(completed.type)) return completed;
  completed.user ??= ws.defaultUserId;
  completed.channel ??= ws.defaultChannel;
  completed.ts ??= ws.nextTs();
  completed.event_ts ??= completed.ts;
  completed.team ??= ws.teamId;
  const channel = String(completed.channel);
  const ts = String(completed.ts);
  if (ws.isKnownChannel(channel) && !ws.findMessage(channel, ts)) {
    ws.addMessage({
      channel,
      ts,
      text: typeof completed.text === 'string' ? completed.text : '',
      blocks: Array.isArray(completed.blocks) ? completed.blocks : undefined,
      thread_ts: typeof completed.thread_ts === 'string' ? completed.thread_ts : undefined,
      user: String(completed.user),
    });
  }
  return completed;
}

export function buildEventCallback(ws: Workspace, event: object, eventId?: string): Record<string, unknown> {
  return {
    token: VERIFICATION_TOKEN,
    team_id: ws.teamId,
    api_app_id: APP_ID,
    event: completeEvent(ws, event),
    type: 'event_callback',
    event_id: eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: ws.teamId,
        user_id: ws.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}

export function buildInteractionPayload(
  ws: Workspace,
  payload: object,
  freshResponseUrl: () => string,
): Record<string, unknown> {
  const userId = ws.defaultUserId;
  return {
    type: 'block_actions',
    user: { id: userId, username: userName(ws, userId), name: userName(ws, userId), team_id: ws.teamId },
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: issueTriggerId(ws),
    team: { id: ws.teamId, domain: TEAM_DOMAIN },
    enterprise: null,
    is_enterprise_install: false,
    response_url: freshResponseUrl(),
    ...payload,
  };
}

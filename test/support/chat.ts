import type { SlackStandIn } from '../../src/stand-ins/slack-stand-in.js';
import { SECRETS } from './harness.js';

export { CHAT_CONFIG } from './chat-config.js';

export interface ChatTarget {
  readonly url: string;
  readonly slack: SlackStandIn;
}

export interface SlashResult {
  readonly status: number;
  /** What Bolt answered at once (the acknowledgement). */
  readonly ack: { text?: string; blocks?: unknown[]; response_type?: string };
  readonly responseUrl: string;
  readonly elapsedMs: number;
}

/** Types `/deploy TEXT` as a user, signed as Slack signs it. */
export async function slash(
  h: ChatTarget,
  text: string,
  opts: { user?: string; channel?: string } = {},
): Promise<SlashResult> {
  const responseUrl = h.slack.responseUrl();
  const result = await h.slack.sendSlashCommand(`${h.url}/slack/events`, SECRETS.slackSigningSecret, {
    text,
    userId: opts.user ?? 'U0ALICE',
    userName: (opts.user ?? 'U0ALICE').toLowerCase(),
    channelId: opts.channel ?? 'C0WEB',
    responseUrl,
  });
  return {
    status: result.status,
    ack: result.body ? (JSON.parse(result.body) as SlashResult['ack']) : {},
    responseUrl,
    elapsedMs: result.elapsedMs,
  };
}

/** The next answer posted to a response_url (after those already taken). */
export async function nextResponse(h: ChatTarget, responseUrl: string, skip = 0) {
  const posts = await h.slack.waitFor(
    () => {
      const matching = h.slack.responses.filter((r) => r.url === responseUrl);
      return matching.length > skip ? matching : undefined;
    },
    { timeoutMs: 10_000 },
  );
  return posts[skip]!.body as {
    text: string;
    blocks?: unknown[];
    response_type?: string;
    replace_original?: boolean;
  };
}

/** The value of the button with this action id in a message's blocks. */
export function buttonValue(message: { blocks?: unknown[] }, actionId: string): string | undefined {
  for (const block of (message.blocks ?? []) as Array<{
    type: string;
    elements?: Array<{ action_id?: string; value?: string }>;
  }>) {
    for (const element of block.elements ?? []) if (element.action_id === actionId) return element.value;
  }
  return undefined;
}

/** Presses a button as a user; answers go to a fresh response_url, returned. */
export async function press(
  h: ChatTarget,
  actionId: string,
  value: string,
  opts: { user?: string; channel?: string; ephemeral?: boolean } = {},
): Promise<{ status: number; responseUrl: string }> {
  const responseUrl = h.slack.responseUrl();
  const user = opts.user ?? 'U0ALICE';
  const result = await h.slack.sendInteraction(`${h.url}/slack/events`, SECRETS.slackSigningSecret, {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0TEAM' },
    api_app_id: 'A0DEPLOYBOT',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: '1700000000.000100',
      channel_id: opts.channel ?? 'C0WEB',
      is_ephemeral: opts.ephemeral ?? true,
    },
    trigger_id: '1.2.3',
    team: { id: 'T0TEAM', domain: 'example' },
    channel: { id: opts.channel ?? 'C0WEB', name: 'web' },
    response_url: responseUrl,
    actions: [
      {
        action_id: actionId,
        block_id: 'b1',
        text: { type: 'plain_text', text: 'Button' },
        value,
        type: 'button',
        action_ts: '1700000000.000200',
      },
    ],
  });
  return { status: result.status, responseUrl };
}

/** Everything a reply says, blocks included, as one string. */
export function textOf(message: { text?: string; blocks?: unknown[] }): string {
  return `${message.text ?? ''}\n${JSON.stringify(message.blocks ?? [])}`;
}

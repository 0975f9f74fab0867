import type { SlackStandIn } from '../stand-ins/slack-stand-in.js';
import { PlaygroundInputError } from './playground-input-error.js';

/** One thing the page shows in a channel: a message everyone sees, or one only its person sees. */
export interface DeskItem {
  /** `m:CHANNEL:TS` for a channel message, `e:N` for what only one person sees. */
  readonly key: string;
  readonly channel: string;
  /** Set for a message in a thread: the ts of its parent. */
  readonly threadTs?: string;
  readonly user: string;
  readonly fromBot: boolean;
  /** Only `visibleTo` sees it (Slack's "Only visible to you"). */
  readonly visibleTo?: string;
  readonly text: string;
  readonly blocks: unknown[];
  readonly edited: boolean;
  /** The order it appeared in, across channel messages and private answers. */
  readonly seq: number;
}

export interface DeskPress {
  readonly user: string;
  readonly key: string;
  readonly actionId: string;
  readonly value: string;
  readonly blockId: string;
}

/**
 * Where answers posted to a response_url land: `key` is what replace_original replaces, the
 * message whose button was pressed, or a command's latest answer ("Working on it…").
 */
interface ResponseTarget {
  readonly channel: string;
  readonly user: string;
  key: string | undefined;
}

interface Private {
  key: string;
  channel: string;
  /** Who wrote it: the person for their own command, else the bot. */
  user: string;
  fromBot: boolean;
  /** Undefined: everyone in the channel. */
  visibleTo: string | undefined;
  text: string;
  blocks: unknown[];
  edited: boolean;
  deleted: boolean;
  seq: number;
  threadTs?: string;
}

interface Overlay {
  text: string;
  blocks: unknown[];
  deleted: boolean;
}

function contentOf(body: unknown): { text: string; blocks: unknown[] } {
  const value = (body ?? {}) as { text?: unknown; blocks?: unknown };
  return {
    text: typeof value.text === 'string' ? value.text : '',
    blocks: Array.isArray(value.blocks) ? value.blocks : [],
  };
}

/**
 * Slack as one person at a desk sees it, built from what the Slack stand-in recorded: channel
 * messages, ephemeral messages, slash command acknowledgements and response_url answers (which
 * replace or delete the message whose button was pressed), in the order they appeared.
 */
export class SlackDesk {
  private seq = 0;
  private readonly seen = new Map<string, number>();
  private readonly privates: Private[] = [];
  private readonly targets = new Map<string, ResponseTarget>();
  private readonly overlays = new Map<string, Overlay>();
  private responsesRead = 0;
  private ephemeralsRead = 0;

  constructor(
    private readonly slack: SlackStandIn,
    private readonly eventsUrl: string,
    private readonly signingSecret: string,
  ) {}

  /** Types `/deploy TEXT` (or another command) in a channel; what deploybot answers at once shows to that person. */
  async command(input: { user: string; channel: string; text: string; command?: string }): Promise<number> {
    const responseUrl = this.slack.responseUrl();
    const target: ResponseTarget = { channel: input.channel, user: input.user, key: undefined };
    this.targets.set(responseUrl, target);
    this.addPrivate(input.channel, input.user, {
      text: `${input.command ?? '/deploy'} ${input.text}`,
      blocks: [],
      author: input.user,
    });
    const result = await this.slack.sendSlashCommand(this.eventsUrl, this.signingSecret, {
      text: input.text,
      userId: input.user,
      channelId: input.channel,
      responseUrl,
      ...(input.command ? { command: input.command } : {}),
    });
    if (result.body) {
      const ack = contentOf(safeJson(result.body));
      if (ack.text || ack.blocks.length > 0) target.key = this.addPrivate(input.channel, input.user, ack);
    }
    return result.status;
  }

  /** Writes a message mentioning the bot, as Slack delivers it: an app_mention event. */
  async mention(input: { user: string; channel: string; text: string; threadTs?: string }): Promise<number> {
    const result = await this.slack.sendEvent(this.eventsUrl, this.signingSecret, {
      type: 'app_mention',
      user: input.user,
      channel: input.channel,
      text: `<@${this.slack.botUserId}> ${input.text}`,
      ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    });
    return result.status;
  }

  /** Presses a button on an item, as Slack sends it: a block_actions interaction. */
  async press(press: DeskPress): Promise<number> {
    const item = this.items(press.user).find((candidate) => candidate.key === press.key);
    if (!item) throw new PlaygroundInputError(`no message ${press.key}`);
    const responseUrl = this.slack.responseUrl();
    this.targets.set(responseUrl, { channel: item.channel, user: press.user, key: item.key });
    const ephemeral = item.visibleTo !== undefined;
    const ts = ephemeral ? '1700000000.000001' : item.key.split(':')[2];
    const person = press.user;
    const result = await this.slack.sendInteraction(this.eventsUrl, this.signingSecret, {
      type: 'block_actions',
      user: {
        id: person,
        username: person.toLowerCase(),
        name: person.toLowerCase(),
        team_id: this.slack.teamId,
      },
      container: { type: 'message', message_ts: ts, channel_id: item.channel, is_ephemeral: ephemeral },
      channel: { id: item.channel, name: item.channel.toLowerCase() },
      ...(ephemeral
        ? {}
        : {
            message: {
              type: 'message',
              ts,
              text: item.text,
              blocks: item.blocks,
              user: item.user,
              ...(item.threadTs ? { thread_ts: item.threadTs } : {}),
            },
          }),
      response_url: responseUrl,
      actions: [
        {
          action_id: press.actionId,
          block_id: press.blockId,
          text: { type: 'plain_text', text: 'Button' },
          value: press.value,
          type: 'button',
          action_ts: `${Math.floor(Date.now() / 1000)}.000100`,
        },
      ],
    });
    return result.status;
  }

  /** Everything `user` sees, oldest first. */
  items(user: string): DeskItem[] {
    this.absorb();
    const shown: DeskItem[] = [];
    for (const message of this.slack.messages) {
      const key = `m:${message.channel}:${message.ts}`;
      if (!this.seen.has(key)) this.seen.set(key, this.nextSeq());
      const overlay = this.overlays.get(key);
      if (overlay?.deleted) continue;
      const threadTs =
        message.thread_ts !== undefined && message.thread_ts !== message.ts ? message.thread_ts : undefined;
      shown.push({
        key,
        channel: message.channel,
        ...(threadTs ? { threadTs } : {}),
        user: message.user,
        fromBot: message.bot_id !== undefined || message.user === this.slack.botUserId,
        text: overlay?.text ?? message.text,
        blocks: overlay?.blocks ?? message.blocks ?? [],
        edited: message.edits > 0 || overlay !== undefined,
        seq: this.seen.get(key) as number,
      });
    }
    for (const item of this.privates) {
      if (item.deleted || (item.visibleTo !== undefined && item.visibleTo !== user)) continue;
      shown.push({
        key: item.key,
        channel: item.channel,
        ...(item.threadTs ? { threadTs: item.threadTs } : {}),
        user: item.user,
        fromBot: item.fromBot,
        ...(item.visibleTo !== undefined ? { visibleTo: item.visibleTo } : {}),
        text: item.text,
        blocks: item.blocks,
        edited: item.edited,
        seq: item.seq,
      });
    }
    return shown.sort((a, b) => a.seq - b.seq);
  }

  /** Takes in ephemeral messages and response_url answers recorded since the last look. */
  private absorb(): void {
    const ephemerals = this.slack.ephemerals;
    for (; this.ephemeralsRead < ephemerals.length; this.ephemeralsRead += 1) {
      const ephemeral = ephemerals[this.ephemeralsRead];
      if (!ephemeral) continue;
      this.addPrivate(
        ephemeral.channel,
        ephemeral.user,
        { text: ephemeral.text, blocks: ephemeral.blocks ?? [] },
        ephemeral.thread_ts,
      );
    }
    const responses = this.slack.responses;
    for (; this.responsesRead < responses.length; this.responsesRead += 1) {
      const post = responses[this.responsesRead];
      const target = post ? this.targets.get(post.url) : undefined;
      if (!post || !target) continue;
      this.answer(target, post.body as Record<string, unknown>);
    }
  }

  private answer(target: ResponseTarget, body: Record<string, unknown>): void {
    const content = contentOf(body);
    if (target.key !== undefined && (body.delete_original === true || body.replace_original === true)) {
      const deleted = body.delete_original === true;
      const own = this.privates.find((item) => item.key === target.key);
      if (own) {
        Object.assign(own, { ...content, edited: true, deleted });
        return;
      }
      this.overlays.set(target.key, { ...content, deleted });
      return;
    }
    if (body.response_type === 'in_channel') {
      // Slack posts it as the bot's message; the stand-in keeps response_url posts apart, so it is shown as one.
      const key = `e:${this.privates.length}`;
      target.key = key;
      this.privates.push({
        key,
        channel: target.channel,
        user: this.slack.botUserId,
        fromBot: true,
        visibleTo: undefined,
        ...content,
        edited: false,
        deleted: false,
        seq: this.nextSeq(),
      });
      return;
    }
    target.key = this.addPrivate(target.channel, target.user, content);
  }

  /** Something only `viewer` sees: from the bot, unless `author` says it is their own command. */
  private addPrivate(
    channel: string,
    viewer: string,
    content: { text: string; blocks: unknown[]; author?: string },
    threadTs?: string,
  ): string {
    const { author, ...shown } = content;
    const key = `e:${this.privates.length}`;
    this.privates.push({
      key,
      channel,
      user: author ?? this.slack.botUserId,
      fromBot: author === undefined,
      visibleTo: viewer,
      ...shown,
      edited: false,
      deleted: false,
      seq: this.nextSeq(),
      ...(threadTs ? { threadTs } : {}),
    });
    return key;
  }

  private nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

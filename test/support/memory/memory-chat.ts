import { DeploybotError, type ErrorCode } from '../../../src/core/errors.js';
import type { MessageContent } from '../../../src/core/message.js';
import type { ChatPort, PostedMessage, Replier } from '../../../src/core/ports/chat.js';

export interface ChatMessage {
  readonly channel: string;
  readonly ts: string;
  content: MessageContent;
  readonly threadTs: string | undefined;
  /** The key it was posted with (findPostedMessage), if any. */
  readonly key?: string;
  /** Earlier contents, oldest first. */
  readonly history: MessageContent[];
}

export interface EphemeralMessage {
  readonly channel: string;
  readonly user: string;
  readonly content: MessageContent;
  readonly threadTs: string | undefined;
}

export interface MemoryChat extends ChatPort {
  readonly messages: ChatMessage[];
  readonly ephemerals: EphemeralMessage[];
  /** Top-level messages of a channel, oldest first. */
  inChannel(channel: string): ChatMessage[];
  /** Replies in the thread of `ts`, oldest first. */
  thread(channel: string, ts: string): ChatMessage[];
  setUserGroup(group: string, members: readonly string[]): void;
  setHandle(userId: string, handle: string): void;
  /** Makes a user a guest, or one of another workspace; everyone else is a member of MEMORY_WORKSPACE. */
  setUser(userId: string, user: { readonly teamId?: string | undefined; readonly isGuest?: boolean }): void;
  /** Posting in `channel` fails with this code from now on. */
  refuseChannel(channel: string, code: ErrorCode): void;
}

export const MEMORY_WORKSPACE = 'T0TEAM';

/** Slack in memory, for use-case tests: what was posted where, updated how, seen by whom. */
export function createMemoryChat(): MemoryChat {
  const messages: ChatMessage[] = [];
  const ephemerals: EphemeralMessage[] = [];
  const groups = new Map<string, ReadonlySet<string>>();
  const handles = new Map<string, string>();
  const people = new Map<string, { readonly teamId?: string | undefined; readonly isGuest?: boolean }>();
  const refused = new Map<string, ErrorCode>();
  let seq = 1;

  function check(channel: string): void {
    const code = refused.get(channel);
    if (code) throw new DeploybotError(code, `memory chat refuses ${channel}`, { details: { channel } });
  }

  return {
    messages,
    ephemerals,
    inChannel: (channel) => messages.filter((m) => m.channel === channel && m.threadTs === undefined),
    thread: (channel, ts) => messages.filter((m) => m.channel === channel && m.threadTs === ts),
    setUserGroup: (group, members) => groups.set(group, new Set(members)),
    setHandle: (userId, handle) => handles.set(userId, handle),
    setUser: (userId, user) => people.set(userId, user),
    async userInfo(userId) {
      const user = people.get(userId);
      return {
        teamId: user === undefined || !('teamId' in user) ? MEMORY_WORKSPACE : user.teamId,
        isGuest: user?.isGuest === true,
        name: handles.get(userId) ?? userId,
      };
    },
    async workspaceId() {
      return MEMORY_WORKSPACE;
    },
    refuseChannel: (channel, code) => refused.set(channel, code),

    async postMessage(channel, content, options = {}): Promise<PostedMessage> {
      check(channel);
      const ts = `1700000000.${String(seq++).padStart(6, '0')}`;
      messages.push({
        channel,
        ts,
        content: structuredClone(content),
        threadTs: options.threadTs,
        ...(options.key === undefined ? {} : { key: options.key }),
        history: [],
      });
      return { channel, ts };
    },
    async findPostedMessage(channel, query) {
      check(channel);
      const found = messages.find(
        (m) =>
          m.channel === channel &&
          m.key === query.key &&
          (query.threadTs === undefined ? m.threadTs === undefined : m.threadTs === query.threadTs),
      );
      return found && { channel, ts: found.ts };
    },
    async updateMessage(channel, ts, content) {
      check(channel);
      const message = messages.find((m) => m.channel === channel && m.ts === ts);
      if (!message)
        throw new DeploybotError('slack_message_not_found', 'message_not_found', { details: { channel } });
      message.history.push(message.content);
      message.content = structuredClone(content);
    },
    async postEphemeral(channel, user, content, options = {}) {
      check(channel);
      ephemerals.push({ channel, user, content: structuredClone(content), threadTs: options.threadTs });
    },
    userGroupMembers: async (group) => groups.get(group) ?? new Set(),
    userHandle: async (userId) => handles.get(userId) ?? userId,
  };
}

export interface RecordingReplier extends Replier {
  readonly replies: Array<{ readonly visibility: 'private' | 'public'; readonly content: MessageContent }>;
  /** The text of every reply, in order. */
  texts(): string[];
}

/** An asker's replies, recorded: what a slash command or button would answer. */
export function createRecordingReplier(): RecordingReplier {
  const replies: RecordingReplier['replies'] = [];
  return {
    replies,
    texts: () => replies.map((r) => r.content.text),
    async private(content) {
      replies.push({ visibility: 'private', content });
    },
    async public(content) {
      replies.push({ visibility: 'public', content });
    },
  };
}

import type { MessageContent } from '../message.js';
import type { ChatUserFacts } from '../user-standing.js';

/** Where a posted message stands: Slack answers with the channel's ID whatever name was given. */
export interface PostedMessage {
  readonly channel: string;
  readonly ts: string;
}

/**
 * The chat service as the flows need it; the Slack adapter in src/bot/ implements it.
 * Failures come back as DeploybotErrors with Slack codes (`slack_channel_not_found`,
 * `slack_not_in_channel`, `slack_message_not_found`, `slack_rate_limited`, …).
 */
export interface ChatPort {
  /** `key`, when given, is carried in the message's metadata, for findPostedMessage. */
  postMessage(
    channel: string,
    content: MessageContent,
    options?: { readonly threadTs?: string; readonly key?: string },
  ): Promise<PostedMessage>;
  /**
   * deploybot's recent message posted with `key` in `channel` (in the thread of `threadTs`, if
   * given), if there is one: how a post whose answer was lost is found again.
   */
  findPostedMessage(
    channel: string,
    query: { readonly key: string; readonly threadTs?: string },
  ): Promise<PostedMessage | undefined>;
  updateMessage(channel: string, ts: string, content: MessageContent): Promise<void>;
  /** A message only `user` sees, in `channel` (and its thread, if given). */
  postEphemeral(
    channel: string,
    user: string,
    content: MessageContent,
    options?: { readonly threadTs?: string },
  ): Promise<void>;
  /** The members of a user group (S…); a group that does not exist has none. */
  userGroupMembers(group: string): Promise<ReadonlySet<string>>;
  /** The user's handle, for deploy_user when deploybot.yml maps no GitHub login; the ID if unknown. */
  userHandle(userId: string): Promise<string>;
  /**
   * Their workspace and whether they are a guest (`users.info`); a user Slack does not know
   * has no workspace. Only an unreachable Slack fails.
   */
  userInfo(userId: string): Promise<ChatUser>;
  /** deploybot's own workspace (`auth.test`'s `team_id`). */
  workspaceId(): Promise<string>;
}

export interface ChatUser extends ChatUserFacts {
  /** Their handle; the ID if unknown. */
  readonly name: string;
}

/** How an answer reaches the person who asked: only them, or the whole channel. */
export interface Replier {
  /** Only the asker sees it: mistakes, refusals, prompts. */
  private(content: MessageContent): Promise<void>;
  /** The channel sees it: locks, unlocks. */
  public(content: MessageContent): Promise<void>;
}

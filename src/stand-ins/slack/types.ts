/** A Sign in with Slack authorize request the stand-in was sent. */
export interface AuthorizeRequest {
  readonly url: string;
  readonly params: Readonly<Record<string, string>>;
}

/** The values typed into a view's inputs, by action_id. */
export type ViewInputs = Readonly<Record<string, string>>;

/** A view the stand-in keeps: a Home tab or a modal. */
export interface StoredView {
  readonly id: string;
  readonly type: 'home' | 'modal';
  /** The Home tab's owner, or who opened the modal. */
  readonly userId: string | undefined;
  view: Record<string, unknown>;
  hash: string;
  /** Earlier versions, oldest first. */
  readonly history: Array<Record<string, unknown>>;
}
export interface SlackUser {
  id: string;
  name: string;
  realName?: string;
  /** Their workspace; default the stand-in's own. Another one is a Slack Connect user. */
  teamId?: string;
  /** A multi-channel guest. */
  isRestricted?: boolean;
  /** A single-channel guest. */
  isUltraRestricted?: boolean;
}

export interface SlackStandInOptions {
  /** Default 'xoxb-test-token'. Any other Bearer token gets `invalid_auth`. */
  botToken?: string;
  /** Default 'xapp-test-token'. Accepted only by `apps.connections.open`. */
  appToken?: string;
  /** Default 'UDEPLOYBOT'. */
  botUserId?: string;
  /** The app's OAuth credentials, for Sign in with Slack; default '1111.2222' and 'stand-in-client-secret'. */
  clientId?: string;
  clientSecret?: string;
  /** Default 'T0TEAM'. */
  teamId?: string;
  /** Known channel IDs; default ['C0DEPLOYS', 'C0WEB', 'C0API']. Others get `channel_not_found`. */
  channels?: string[];
  /** Default alice (U0ALICE) and bob (U0BOB). */
  users?: SlackUser[];
  /** The bot token's scopes, sent as `x-oauth-scopes`; default the ones manifest.yml asks for. */
  scopes?: string[];
  /** Channels among `channels` that are private (`is_private`). */
  privateChannels?: string[];
  /**
   * Channels the bot is not a member of (`is_member: false`); it is in every other one. A
   * private one of these is `channel_not_found` to it, as on Slack.
   */
  notMemberOf?: string[];
  /** Every Web API call is answered this many milliseconds after it arrives, like a slow Slack (benches). */
  latencyMs?: number;
}

export type ApiArgs = Record<string, unknown>;
export type ApiResponse = Record<string, unknown> & { ok: boolean; error?: string };

export interface ApiCall {
  method: string;
  /**
   * Parsed arguments. JSON-encoded fields (blocks, attachments, metadata, view) are decoded;
   * other form-encoded values stay strings, so booleans arrive as 'true'/'false'.
   */
  args: ApiArgs;
  token: string | undefined;
  /** Date.now() when the request arrived. */
  at: number;
  /** HTTP status sent back: 200, or 429 when rate limited. */
  status: number;
  response: ApiResponse;
}

export interface MessageRevision {
  text: string;
  blocks: unknown[] | undefined;
}

export interface SlackMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[] | undefined;
  thread_ts?: string | undefined;
  user: string;
  bot_id?: string | undefined;
  edits: number;
  /** Earlier revisions, oldest first; the current one is `text`/`blocks`. */
  history: MessageRevision[];
  reactions: Array<{ name: string; users: string[] }>;
  /** chat.postMessage's `metadata`, returned by conversations.history/replies with include_all_metadata. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> } | undefined;
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  text: string;
  blocks: unknown[] | undefined;
  thread_ts?: string;
  message_ts: string;
}

export interface ResponseUrlPost {
  url: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests assert on whatever shape the app posted.
  body: any;
}

export interface WaitOptions {
  timeoutMs?: number;
  description?: string;
}

export interface PollOptions extends WaitOptions {
  intervalMs?: number;
}

export interface SignedRequestOptions {
  /** Sets x-slack-retry-num (and x-slack-retry-reason: http_timeout), as Slack does on redelivery. */
  retryNum?: number;
  retryReason?: string;
  /** Unix seconds for x-slack-request-timestamp; default now. Use an old one to test staleness. */
  timestamp?: number;
  /** Replaces the computed x-slack-signature, to test rejection. */
  signature?: string;
}

export interface EventRequestOptions extends SignedRequestOptions {
  /** Slack keeps the same event_id across retries; pass it to simulate a redelivery. */
  eventId?: string;
}

export interface SignedRequestResult {
  status: number;
  body: string;
  elapsedMs: number;
}

export interface SlashCommandInput {
  text: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  command?: string;
  triggerId?: string;
  responseUrl?: string;
}

export type SocketEnvelopeType = 'slash_commands' | 'events_api' | 'interactive';

export interface SocketAck {
  envelope_id: string;
  payload?: unknown;
}

export interface SlackStandIn {
  /** e.g. 'http://127.0.0.1:PORT/api/'; pass as WebClient/Bolt `clientOptions.slackApiUrl`. */
  readonly apiUrl: string;
  /** e.g. 'http://127.0.0.1:PORT' (no trailing slash). */
  readonly baseUrl: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly botUserId: string;
  readonly teamId: string;
  readonly calls: ApiCall[];
  readonly messages: SlackMessage[];
  messagesIn(channel: string): SlackMessage[];
  threadOf(channel: string, ts: string): SlackMessage[];
  readonly ephemerals: EphemeralMessage[];
  readonly responses: ResponseUrlPost[];
  responseUrl(): string;
  /** Puts a message from someone else (default alice) into the channel, e.g. the message a user mentions the bot in. */
  seedMessage(input: {
    channel: string;
    text: string;
    user?: string;
    thread_ts?: string;
    ts?: string;
  }): SlackMessage;
  setUserGroup(id: string, userIds: string[]): void;
  /** Adds or replaces a user (a guest, a Slack Connect user of another team, …). */
  setUser(user: SlackUser): void;
  /** Every view Slack holds: Home tabs (by user) and modals, with their earlier versions. */
  readonly views: readonly StoredView[];
  /** Makes every trigger_id handed out so far `ms` older, e.g. past its three seconds. */
  ageTriggers(ms: number): void;
  /** The app's client ID (SLACK_CLIENT_ID) that Sign in with Slack accepts. */
  readonly clientId: string;
  /**
   * Who approves the next Sign in with Slack at /openid/connect/authorize (undefined: the
   * person cancels); `claims` override those of the ID token, e.g. a wrong nonce.
   */
  signInAs(userId: string | undefined, claims?: Record<string, unknown>): void;
  /** Every /openid/connect/authorize request, in order. */
  readonly authorizeRequests: readonly AuthorizeRequest[];
  rateLimit(method: string, opts: { times: number; retryAfterSeconds: number }): void;
  failNext(method: string, error: string, times?: number): void;
  /** Forgets calls, messages, ephemerals, responses and pending faults; keeps users, channels, user groups. */
  reset(): void;
  waitForCall(method: string, predicate?: (call: ApiCall) => boolean, opts?: WaitOptions): Promise<ApiCall>;
  waitForResponse(
    predicate?: (post: ResponseUrlPost) => boolean,
    opts?: WaitOptions,
  ): Promise<ResponseUrlPost>;
  waitFor<T>(check: () => T | undefined | null | false, opts?: PollOptions): Promise<T>;
  /** The form fields Slack sends for a slash command (also the Socket Mode `slash_commands` payload). */
  slashCommandPayload(cmd: SlashCommandInput): Record<string, string>;
  sendSlashCommand(
    appEventsUrl: string,
    signingSecret: string,
    cmd: SlashCommandInput,
    opts?: SignedRequestOptions,
  ): Promise<SignedRequestResult>;
  sendEvent(
    appEventsUrl: string,
    signingSecret: string,
    event: object,
    opts?: EventRequestOptions,
  ): Promise<SignedRequestResult>;
  sendInteraction(
    appEventsUrl: string,
    signingSecret: string,
    payload: object,
    opts?: SignedRequestOptions,
  ): Promise<SignedRequestResult>;
  /** `app_home_opened` for the Home tab, as an Events API callback. */
  sendAppHomeOpened(
    appEventsUrl: string,
    signingSecret: string,
    userId: string,
  ): Promise<SignedRequestResult>;
  /** A global shortcut pressed (with a fresh trigger_id). */
  sendShortcut(
    appEventsUrl: string,
    signingSecret: string,
    input: { readonly callbackId: string; readonly userId: string },
  ): Promise<SignedRequestResult>;
  /** An option chosen in a select of a modal Slack holds: a block_actions with the view and its state. */
  sendViewSelect(
    appEventsUrl: string,
    signingSecret: string,
    input: {
      readonly viewId: string;
      readonly userId: string;
      readonly blockId: string;
      readonly value: string;
      readonly inputs?: ViewInputs;
    },
  ): Promise<SignedRequestResult>;
  /** A modal Slack holds submitted with `inputs`; the body is the app's answer (response_action…). */
  sendViewSubmission(
    appEventsUrl: string,
    signingSecret: string,
    input: { readonly viewId: string; readonly userId: string; readonly inputs: ViewInputs },
  ): Promise<SignedRequestResult>;
  readonly socketConnections: number;
  waitForSocket(opts?: WaitOptions): Promise<void>;
  sendSocketEnvelope(type: SocketEnvelopeType, payload: object): Promise<SocketAck>;
  close(): Promise<void>;
}

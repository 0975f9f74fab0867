import { randomBytes } from 'node:crypto';
import type { EphemeralMessage, SlackMessage, SlackStandInOptions, SlackUser } from './types.js';

export const TEAM_DOMAIN = 'deploybot-test';
export const TEAM_NAME = 'Deploybot Test';
export const APP_ID = 'A0DEPLOYBOT';
export const BOT_ID = 'B0DEPLOYBOT';
export const VERIFICATION_TOKEN = 'stand-in-verification-token';

const DEFAULT_CHANNELS = ['C0DEPLOYS', 'C0WEB', 'C0API'];
const DEFAULT_USERS: SlackUser[] = [
  { id: 'U0ALICE', name: 'alice', realName: 'Alice Example' },
  { id: 'U0BOB', name: 'bob', realName: 'Bob Example' },
  // Members the suites act as; their handles are what slash commands carried for unknown IDs.
  { id: 'U0ADMIN', name: 'u0admin' },
  { id: 'U0CAROL', name: 'u0carol' },
  { id: 'U0DAVE', name: 'u0dave' },
];
// Real Slack timestamps are unix seconds with a six-digit suffix; starting from a fixed point keeps them readable.
const TS_EPOCH_MICROS = 1_700_000_000_000_000;

export interface Workspace {
  readonly botToken: string;
  readonly appToken: string;
  readonly botUserId: string;
  readonly teamId: string;
  /** Where signed requests and seeded messages go when the caller names no channel/user. */
  readonly defaultChannel: string;
  readonly defaultUserId: string;
  readonly users: Map<string, SlackUser>;
  readonly privateChannels: ReadonlySet<string>;
  readonly notMemberOf: ReadonlySet<string>;
  readonly userGroups: Map<string, string[]>;
  readonly messages: SlackMessage[];
  readonly ephemerals: EphemeralMessage[];
  nextTs(): string;
  resolveChannel(idOrUser: string): string | undefined;
  isKnownChannel(id: string): boolean;
  channelName(id: string): string;
  findMessage(channel: string, ts: string): SlackMessage | undefined;
  addMessage(input: Omit<SlackMessage, 'edits' | 'history' | 'reactions'>): SlackMessage;
  issueTicket(): string;
  redeemTicket(ticket: string | null): boolean;
  reset(): void;
}

export function createWorkspace(options: SlackStandInOptions = {}): Workspace {
  const channelList = options.channels ?? DEFAULT_CHANNELS;
  const userList = options.users ?? DEFAULT_USERS;
  const channels = new Set(channelList);
  const users = new Map(userList.map((u) => [u.id, u]));
  const botUserId = options.botUserId ?? 'UDEPLOYBOT';
  const messages: SlackMessage[] = [];
  const ephemerals: EphemeralMessage[] = [];
  const tickets = new Set<string>();
  let tsCounter = 0;

  const nextTs = (): string => {
    tsCounter += 1;
    const micros = TS_EPOCH_MICROS + tsCounter * 100;
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
  };

  return {
    botToken: options.botToken ?? 'xoxb-test-token',
    appToken: options.appToken ?? 'xapp-test-token',
    botUserId,
    teamId: options.teamId ?? 'T0TEAM',
    defaultChannel: channelList[0] ?? 'C0DEPLOYS',
    defaultUserId: userList[0]?.id ?? 'U0ALICE',
    users,
    privateChannels: new Set(options.privateChannels ?? []),
    notMemberOf: new Set(options.notMemberOf ?? []),
    userGroups: new Map(),
    messages,
    ephemerals,
    nextTs,
    resolveChannel(idOrUser) {
      if (channels.has(idOrUser)) return idOrUser;
      // Posting to a user ID lands in the bot's DM with them, as on real Slack.
      if (users.has(idOrUser)) {
        const dm = `D${idOrUser.slice(1)}`;
        channels.add(dm);
        return dm;
      }
      return undefined;
    },
    isKnownChannel: (id) => channels.has(id),
    channelName(id) {
      if (id.startsWith('D')) return 'directmessage';
      return id.replace(/^C0?/, '').toLowerCase();
    },
    findMessage: (channel, ts) => messages.find((m) => m.channel === channel && m.ts === ts),
    addMessage(input) {
      const message: SlackMessage = { ...input, edits: 0, history: [], reactions: [] };
      if (message.thread_ts === undefined) delete message.thread_ts;
      messages.push(message);
      return message;
    },
    issueTicket() {
      const ticket = randomBytes(12).toString('hex');
      tickets.add(ticket);
      return ticket;
    },
    redeemTicket: (ticket) => ticket !== null && tickets.has(ticket),
    reset() {
      messages.length = 0;
      ephemerals.length = 0;
    },
  };
}

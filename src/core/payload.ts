/**
 * The deployment payload deploybot writes and reads. The shape follows hubot-deploy's
 * `notify` convention so other chat tools can read what deploybot creates and vice versa.
 */
export interface DeployPayload {
  readonly deploy_user: string;
  readonly pull_request?: number;
  readonly forced?: boolean;
  readonly rollback?: boolean;
  /** Slack user IDs of those who approved. */
  readonly approved_by?: readonly string[];
  readonly notify: {
    readonly adapter: 'slack';
    readonly channel: string;
    readonly user?: string;
    readonly thread_ts?: string;
  };
}

export interface MergeDeployPayloadInput {
  readonly author: string;
  readonly pullRequest: number;
  readonly channel: string;
}

export function buildMergeDeployPayload(input: MergeDeployPayloadInput): DeployPayload {
  return {
    deploy_user: input.author,
    pull_request: input.pullRequest,
    notify: { adapter: 'slack', channel: input.channel },
  };
}

/** GitHub returns the payload as it was given: an object, or a JSON string from older tools. */
export function readPayloadObject(payload: unknown): Record<string, unknown> {
  if (typeof payload === 'string') {
    try {
      const parsed: unknown = JSON.parse(payload);
      return isRecord(parsed) ? parsed : {};
    } catch {
      return {};
    }
  }
  return isRecord(payload) ? payload : {};
}

/** The channel a deployment asked to be announced in: `notify.channel`, or hubot-deploy's `notify.room`. */
export function readNotifyChannel(payload: unknown): string | undefined {
  const notify = readPayloadObject(payload).notify;
  if (!isRecord(notify)) return undefined;
  for (const key of ['channel', 'room'] as const) {
    const value = notify[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/** A Slack message timestamp, as `thread_ts` must be: "1712345678.000100". */
const SLACK_TS = /^\d{1,12}\.\d{1,8}$/;

/** The Slack thread a deployment asked to be announced in: `notify.thread_ts`, when it is a Slack timestamp. */
export function readNotifyThread(payload: unknown): string | undefined {
  const notify = readPayloadObject(payload).notify;
  if (!isRecord(notify)) return undefined;
  const value = notify.thread_ts;
  return typeof value === 'string' && SLACK_TS.test(value.trim()) ? value.trim() : undefined;
}

/** The Slack user who asked for the deployment: `notify.user`, when it is a Slack user ID. */
export function readNotifyUser(payload: unknown): string | undefined {
  const notify = readPayloadObject(payload).notify;
  if (!isRecord(notify)) return undefined;
  const value = notify.user;
  return typeof value === 'string' && /^[UW][A-Z0-9]+$/.test(value) ? value : undefined;
}

export function readDeployUser(payload: unknown): string | undefined {
  const value = readPayloadObject(payload).deploy_user;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function readPullRequestNumber(payload: unknown): number | undefined {
  const value = readPayloadObject(payload).pull_request;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

export function readForced(payload: unknown): boolean {
  return readPayloadObject(payload).forced === true;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

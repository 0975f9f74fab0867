/**
 * The one error type of deploybot. Adapters translate what they see (HTTP statuses,
 * process exits, database failures) into a `code`; everything downstream decides on
 * the code, never on message text.
 */
export type ErrorCode =
  // configuration and input
  | 'config_invalid'
  | 'bad_request'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'signature_invalid'
  | 'unknown_repository'
  | 'unknown_environment'
  | 'invalid_ref'
  | 'invalid_name'
  // GitHub
  | 'github_unauthorized'
  | 'github_forbidden'
  | 'github_not_found'
  | 'github_checks_failed'
  | 'github_merge_conflict'
  | 'github_auto_merged'
  | 'github_no_such_ref'
  | 'github_invalid'
  | 'github_rate_limited'
  | 'github_unavailable'
  | 'github_app_not_installed'
  // Slack
  | 'slack_unauthorized'
  | 'slack_channel_not_found'
  | 'slack_not_in_channel'
  | 'slack_message_not_found'
  | 'slack_rate_limited'
  | 'slack_unavailable'
  | 'slack_failed'
  // deployer
  | 'deploy_failed'
  | 'deploy_timed_out'
  | 'deploy_cancelled'
  | 'checkout_failed'
  | 'provider_crashed'
  // store and the rest
  | 'store_unavailable'
  | 'store_in_use'
  | 'store_record_invalid'
  | 'internal';

export interface DeploybotErrorOptions {
  readonly retryable?: boolean;
  readonly cause?: unknown;
  /** Extra facts for rendering, e.g. the failing check contexts. Never secrets. */
  readonly details?: Readonly<Record<string, unknown>>;
}

// Registered globally: the bundled dist/main.js and the modules it loads beside it (setup, the
// playground) each have their own copy of this class, and an error from one is still one of ours.
const DEPLOYBOT_ERROR = Symbol.for('deploybot.error');

export class DeploybotError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && DEPLOYBOT_ERROR in value;
  }

  override readonly name = 'DeploybotError';
  readonly [DEPLOYBOT_ERROR] = true;
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: DeploybotErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    this.details = options.details ?? {};
  }
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'github_rate_limited',
  'github_unavailable',
  'slack_rate_limited',
  'slack_unavailable',
  'store_unavailable',
]);

export function isDeploybotError(error: unknown): error is DeploybotError {
  return error instanceof DeploybotError;
}

/** Wraps anything thrown into a DeploybotError, keeping the original as `cause`. */
export function toDeploybotError(error: unknown): DeploybotError {
  if (error instanceof DeploybotError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DeploybotError('internal', message, { cause: error });
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ErrorPresentation {
  /** What a person reads in Slack. */
  readonly text: string;
  readonly logLevel: LogLevel;
  /** The HTTP status deploybot answers with when this error ends a request. */
  readonly httpStatus: number;
}

/** The one place that decides how an error code is shown, logged and answered. */
export function presentError(error: DeploybotError): ErrorPresentation {
  const d = error.details;
  const repo = typeof d.repository === 'string' ? d.repository : 'the repository';
  switch (error.code) {
    case 'config_invalid':
      return { text: error.message, logLevel: 'error', httpStatus: 500 };
    case 'bad_request':
      return { text: error.message, logLevel: 'info', httpStatus: 400 };
    case 'unsupported_media_type':
      return { text: error.message, logLevel: 'info', httpStatus: 415 };
    case 'payload_too_large':
      return { text: error.message, logLevel: 'info', httpStatus: 413 };
    case 'signature_invalid':
      return { text: 'The request signature does not match.', logLevel: 'warn', httpStatus: 401 };
    case 'unknown_repository':
    case 'unknown_environment':
    case 'invalid_ref':
    case 'invalid_name':
      return { text: error.message, logLevel: 'info', httpStatus: 400 };
    case 'github_unauthorized':
      return {
        text: `GitHub refused deploybot's credentials (401) for ${repo}: check that GITHUB_TOKEN (or the GitHub App's key and installation) is valid and not expired.`,
        logLevel: 'error',
        httpStatus: 502,
      };
    case 'github_forbidden':
      return {
        text: `GitHub denied access (403) to ${repo}: the token needs the "Deployments: read and write" and "Contents: read" permissions (classic tokens: the \`repo_deployment\` and \`repo\` scopes).`,
        logLevel: 'error',
        httpStatus: 502,
      };
    case 'github_not_found':
      return {
        text: `GitHub cannot find ${repo} (404): it does not exist, or deploybot's token cannot see it (it needs "Contents: read" and "Deployments: read and write" on that repository).`,
        logLevel: 'warn',
        httpStatus: 502,
      };
    case 'github_checks_failed': {
      const checks = describeContexts(d.contexts);
      return {
        text: checks ? `Required checks have not passed: ${checks}.` : 'Required checks have not passed.',
        logLevel: 'info',
        httpStatus: 409,
      };
    }
    case 'github_merge_conflict':
      return {
        text: `GitHub could not merge the default branch into this ref of ${repo} (merge conflict). Merge or rebase it, then deploy again.`,
        logLevel: 'info',
        httpStatus: 409,
      };
    case 'github_auto_merged':
      return {
        text: `GitHub merged the default branch into the ref instead of creating a deployment (202). Deploy again once that merge commit has passed its checks.`,
        logLevel: 'info',
        httpStatus: 409,
      };
    case 'github_no_such_ref':
      return {
        text: `There is no branch, tag or commit \`${String(d.ref ?? '?')}\` in ${repo}.`,
        logLevel: 'info',
        httpStatus: 422,
      };
    case 'github_invalid':
      return { text: `GitHub rejected the request: ${error.message}`, logLevel: 'warn', httpStatus: 422 };
    case 'github_rate_limited':
      return {
        text: 'GitHub rate limit reached; try again in a few minutes.',
        logLevel: 'warn',
        httpStatus: 503,
      };
    case 'github_unavailable':
      return {
        text: 'GitHub is having trouble right now; try again in a minute.',
        logLevel: 'warn',
        httpStatus: 503,
      };
    case 'github_app_not_installed':
      return {
        text: `deploybot's GitHub App is not installed on ${repo}: install it at ${String(d.installUrl ?? "the App's settings")} (on ${String(d.owner ?? 'its owner')}, with access to ${repo}).`,
        logLevel: 'warn',
        httpStatus: 502,
      };
    case 'slack_unauthorized':
      return { text: 'Slack refused the bot token (SLACK_BOT_TOKEN).', logLevel: 'error', httpStatus: 502 };
    case 'slack_channel_not_found':
      return {
        text: `Slack channel ${String(d.channel ?? '')} does not exist.`,
        logLevel: 'error',
        httpStatus: 502,
      };
    case 'slack_not_in_channel':
      return {
        text: `deploybot is not in channel ${String(d.channel ?? '')}: invite it, or grant chat:write.public.`,
        logLevel: 'error',
        httpStatus: 502,
      };
    case 'slack_message_not_found':
      return { text: 'The Slack message to update is gone.', logLevel: 'warn', httpStatus: 502 };
    case 'slack_rate_limited':
      return { text: 'Slack rate limit reached.', logLevel: 'warn', httpStatus: 503 };
    case 'slack_unavailable':
      return { text: 'Slack is having trouble right now.', logLevel: 'warn', httpStatus: 503 };
    case 'slack_failed':
      return { text: `Slack refused the request: ${error.message}`, logLevel: 'error', httpStatus: 502 };
    case 'deploy_failed':
    case 'deploy_timed_out':
    case 'deploy_cancelled':
    case 'checkout_failed':
    case 'provider_crashed':
      return { text: error.message, logLevel: 'warn', httpStatus: 500 };
    case 'store_unavailable':
      return { text: 'deploybot cannot reach its database.', logLevel: 'error', httpStatus: 503 };
    case 'store_in_use': {
      const who =
        typeof d.host === 'string' && typeof d.pid === 'number'
          ? `host ${d.host}, pid ${d.pid}`
          : String(d.owner ?? 'unknown');
      return {
        text: `Another deploybot process (${who}) is using the SQLite database ${String(d.path ?? '')}: SQLite serves one deploybot process. Stop that one first, or, to run several replicas, give them all one PostgreSQL database with DATABASE_URL=postgres://USER:PASS@HOST:5432/DB.`,
        logLevel: 'error',
        httpStatus: 503,
      };
    }
    case 'store_record_invalid':
      return {
        text: 'deploybot found a stored record it cannot read; the details are in its log.',
        logLevel: 'error',
        httpStatus: 500,
      };
    case 'internal':
      return {
        text: 'Something went wrong inside deploybot; the details are in its log.',
        logLevel: 'error',
        httpStatus: 500,
      };
  }
}

/** "ci/build (pending), ci/test (failure)" from GitHub's 409 `contexts`. */
function describeContexts(value: unknown): string {
  if (!Array.isArray(value)) return '';
  return value
    .map((c: { context?: unknown; state?: unknown }) => `${String(c?.context)} (${String(c?.state)})`)
    .join(', ');
}

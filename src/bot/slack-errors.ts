import { DeploybotError, type ErrorCode } from '../core/errors.js';

interface SlackClientError {
  readonly code?: unknown;
  readonly data?: { readonly error?: unknown };
  readonly statusCode?: unknown;
  readonly retryAfter?: unknown;
}

const PLATFORM_CODES: Readonly<Record<string, ErrorCode>> = {
  invalid_auth: 'slack_unauthorized',
  not_authed: 'slack_unauthorized',
  account_inactive: 'slack_unauthorized',
  token_revoked: 'slack_unauthorized',
  channel_not_found: 'slack_channel_not_found',
  not_in_channel: 'slack_not_in_channel',
  is_archived: 'slack_channel_not_found',
  message_not_found: 'slack_message_not_found',
  ratelimited: 'slack_rate_limited',
  internal_error: 'slack_unavailable',
  fatal_error: 'slack_unavailable',
  service_unavailable: 'slack_unavailable',
  request_timeout: 'slack_unavailable',
};

/** Turns what @slack/web-api threw into a DeploybotError; decided on the client's codes, never its text. */
export function mapSlackError(error: unknown, details: Record<string, unknown> = {}): DeploybotError {
  if (error instanceof DeploybotError) return error;
  const e = (error ?? {}) as SlackClientError;
  switch (e.code) {
    case 'slack_webapi_platform_error': {
      const platform = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
      return new DeploybotError(PLATFORM_CODES[platform] ?? 'slack_failed', platform, {
        cause: error,
        details: { ...details, slackError: platform },
      });
    }
    case 'slack_webapi_rate_limited_error':
      return new DeploybotError('slack_rate_limited', 'Slack rate limit', { cause: error, details });
    case 'slack_webapi_http_error': {
      const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
      return new DeploybotError(
        status >= 500 ? 'slack_unavailable' : 'slack_failed',
        `Slack HTTP ${status}`,
        {
          cause: error,
          details,
        },
      );
    }
    default:
      // Request errors (network) and exhausted retries after 429s: worth another try later.
      return new DeploybotError('slack_unavailable', 'Slack could not be reached', { cause: error, details });
  }
}

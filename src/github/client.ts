import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { Logger } from 'pino';

export type GitHubClient = InstanceType<typeof RetryingOctokit>;

const RetryingOctokit = Octokit.plugin(retry, throttling);

export interface GitHubClientOptions {
  readonly token: string;
  readonly baseUrl: string;
  readonly fetch: typeof globalThis.fetch;
  readonly logger: Logger;
  readonly userAgent: string;
  /** Base of the retry back-off; tests shrink it so retries take milliseconds. */
  readonly retryBaseMs: number;
  readonly retries: number;
}

// 409 means failed checks or a merge conflict; retrying cannot change GitHub's answer.
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 451];

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const log = options.logger;
  return new RetryingOctokit({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: options.userAgent,
    request: { fetch: options.fetch, retries: options.retries },
    retry: { doNotRetry: DO_NOT_RETRY, retries: options.retries, retryAfterBaseValue: options.retryBaseMs },
    throttle: {
      retryAfterBaseValue: options.retryBaseMs,
      onRateLimit: (retryAfter, request, _octokit, retryCount) => {
        log.warn({ method: request.method, url: request.url, retryAfter }, 'GitHub rate limit reached');
        return retryCount < 2;
      },
      onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) => {
        log.warn(
          { method: request.method, url: request.url, retryAfter },
          'GitHub secondary rate limit reached',
        );
        return retryCount < 2;
      },
    },
    log: {
      debug: (message: string) => log.debug(message),
      info: (message: string) => log.debug(message),
      warn: (message: string) => log.warn(message),
      error: (message: string) => log.error(message),
    },
  });
}

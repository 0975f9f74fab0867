import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';
import type { Logger } from 'pino';
import { DeploybotError } from '../core/errors.js';
import type { ApiMetrics } from '../core/ports/metrics.js';
import type { Clock } from '../core/scheduler.js';
import {
  createAppInstallationsAuth,
  type RepositoryInstallationAuthOptions,
} from './app-installations-auth.js';
import { countGitHubCalls } from './count-github-calls.js';
import { mapGitHubError } from './errors.js';
import { createInstallationTokenCache } from './token-cache.js';

export type GitHubClient = InstanceType<typeof RetryingOctokit>;

// The counting plugin first: its hook then sits inside retry's and throttling's, seeing each attempt.
const RetryingOctokit = Octokit.plugin(countGitHubCalls, retry, throttling);

/**
 * A token (personal or installation), or a GitHub App: acting as one installation when
 * `installationId` is given, else as whichever installation covers each repository.
 */
export type GitHubAuth =
  | { readonly kind: 'token'; readonly token: string }
  | {
      readonly kind: 'app';
      readonly appId: string;
      readonly privateKey: string;
      readonly installationId?: number;
    };

export interface GitHubClientOptions {
  readonly auth: GitHubAuth;
  readonly baseUrl: string;
  readonly fetch: typeof globalThis.fetch;
  readonly logger: Logger;
  readonly userAgent: string;
  /** When installation tokens are due for renewal. */
  readonly clock: Clock;
  /** Base of the retry back-off; tests shrink it so retries take milliseconds. */
  readonly retryBaseMs: number;
  readonly retries: number;
  /** GitHub asks integrations to leave a second between requests that create content. */
  readonly writeIntervalMs: number;
  /** Told of every attempt and rate limit. */
  readonly metrics?: ApiMetrics;
}

// 409 means failed checks or a merge conflict; retrying cannot change GitHub's answer.
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 451];

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const log = options.logger;
  return new RetryingOctokit({
    // For countGitHubCalls, which also counts the rate limits.
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...authOptionsOf(options.auth, options.clock),
    baseUrl: options.baseUrl,
    userAgent: options.userAgent,
    // No `retries` here: plugin-retry would then retry every status, doNotRetry or not.
    request: { fetch: options.fetch },
    retry: { doNotRetry: DO_NOT_RETRY, retries: options.retries, retryAfterBaseValue: options.retryBaseMs },
    throttle: {
      retryAfterBaseValue: options.retryBaseMs,
      // A limiter of our own: the plugin's default is shared by every client in the process.
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.writeIntervalMs }),
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

/** The credential settings name: GITHUB_TOKEN, else the GitHub App (with or without its installation). */
export function githubAuthOf(github: {
  readonly token?: string;
  readonly app?: { readonly appId: string; readonly privateKey: string; readonly installationId?: number };
}): GitHubAuth {
  const { token, app } = github;
  if (token !== undefined) return { kind: 'token', token };
  if (app === undefined) {
    // parseSettings lets no settings through without one of them.
    throw new DeploybotError('config_invalid', 'GITHUB_TOKEN or a GitHub App is required');
  }
  const { appId, privateKey, installationId } = app;
  return installationId === undefined
    ? { kind: 'app', appId, privateKey }
    : { kind: 'app', appId, privateKey, installationId };
}

// auth-app takes a missing entry as "fetch a new token", though its type says get() always finds one.
type AuthCache = NonNullable<Parameters<typeof createAppAuth>[0]['cache']>;

function authOptionsOf(auth: GitHubAuth, clock: Clock) {
  if (auth.kind === 'token') return { auth: auth.token };
  const app = { appId: auth.appId, privateKey: auth.privateKey };
  if (auth.installationId === undefined) {
    return { authStrategy: createAppInstallationsAuth, auth: { ...app, clock } };
  }
  return {
    authStrategy: createAppAuth,
    auth: {
      ...app,
      installationId: auth.installationId,
      cache: createInstallationTokenCache(clock) as AuthCache,
    },
  };
}

/**
 * A token for git over HTTPS to fetch `repository` (`owner/name`): the token itself, or a
 * fresh token of the App's installation (the one set, or the one covering the repository).
 */
export async function getGitToken(
  github: GitHubClient,
  auth: GitHubAuth,
  repository: string,
): Promise<string> {
  if (auth.kind === 'token') return auth.token;
  const request: RepositoryInstallationAuthOptions | { type: 'installation' } =
    auth.installationId === undefined ? { type: 'installation', repository } : { type: 'installation' };
  try {
    const result = (await github.auth(request)) as { token: string };
    return result.token;
  } catch (error) {
    throw mapGitHubError(error, { repository });
  }
}

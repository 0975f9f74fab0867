import { createAppAuth } from '@octokit/auth-app';
import { RequestError } from '@octokit/request-error';
import { DeploybotError } from '../core/errors.js';
import { repoKey } from '../core/repo-key.js';
import type { Clock } from '../core/scheduler.js';
import { mapGitHubError } from './errors.js';
import { createInstallationTokenCache } from './token-cache.js';
import { githubInstallUrl, githubWebUrlFromApi } from './urls.js';

type AppAuth = ReturnType<typeof createAppAuth>;
// auth-app takes a missing entry as "fetch a new token", though its type says get() always finds one.
type AuthCache = NonNullable<Parameters<typeof createAppAuth>[0]['cache']>;
type HookArgs = Parameters<AppAuth['hook']>;
type OctokitRequest = HookArgs[0];

export interface AppInstallationsAuthOptions {
  readonly appId: string;
  readonly privateKey: string;
  readonly clock: Clock;
  /** Octokit's own request (base URL, fetch, retries); Octokit passes it to every auth strategy. */
  readonly request: OctokitRequest;
  readonly log: { warn: (message: string) => unknown };
}

/** What `octokit.auth(...)` accepts on top of auth-app's options: the installation of a repository. */
export interface RepositoryInstallationAuthOptions {
  readonly type: 'installation';
  /** `owner/name`. */
  readonly repository: string;
}

/**
 * An Octokit auth strategy for a GitHub App installed on several accounts: each request about
 * a repository is sent with a token of the installation that covers it, found with
 * `GET /repos/{owner}/{repo}/installation` and remembered; requests about the App itself go
 * with its JWT. Tokens come from @octokit/auth-app and are renewed before they expire.
 */
export function createAppInstallationsAuth(options: AppInstallationsAuthOptions) {
  const { request } = options;
  const common = {
    appId: options.appId,
    privateKey: options.privateKey,
    request,
    log: options.log,
    cache: createInstallationTokenCache(options.clock) as AuthCache,
  };
  const app = createAppAuth(common);
  const byInstallation = new Map<number, AppAuth>();
  const byRepository = new Map<string, Promise<number>>();
  let slug: Promise<string> | undefined;

  const authOf = (installationId: number): AppAuth => {
    let auth = byInstallation.get(installationId);
    if (!auth) {
      auth = createAppAuth({ ...common, installationId });
      byInstallation.set(installationId, auth);
    }
    return auth;
  };

  const appSlug = (): Promise<string> => {
    slug ??= request('GET /app').then(
      (response) => String((response.data as { slug?: unknown }).slug ?? ''),
      (error: unknown) => {
        slug = undefined;
        throw error;
      },
    );
    return slug;
  };

  async function notInstalled(repository: string, cause: unknown): Promise<DeploybotError> {
    const owner = repository.slice(0, repository.indexOf('/'));
    const webUrl = githubWebUrlFromApi(request.endpoint.DEFAULTS.baseUrl);
    // The page is still worth naming when GitHub cannot tell the App's slug right now.
    const installUrl = await appSlug().then(
      (name) => githubInstallUrl(webUrl, name),
      () => `${webUrl}/settings/installations`,
    );
    const message = `deploybot's GitHub App is not installed on ${repository}; install it at ${installUrl}`;
    // Said here, where it is found out, whatever the caller then does with the error.
    options.log.warn(message);
    return new DeploybotError('github_app_not_installed', message, {
      cause,
      details: { repository, owner, installUrl },
    });
  }

  async function lookUp(repository: string): Promise<number> {
    const [owner = '', repo = ''] = repository.split('/');
    try {
      const response = await request('GET /repos/{owner}/{repo}/installation', { owner, repo });
      return Number((response.data as { id: unknown }).id);
    } catch (error) {
      if (error instanceof RequestError && error.status === 404) throw await notInstalled(repository, error);
      throw mapGitHubError(error, { repository });
    }
  }

  /** The installation covering `repository`; a repository without one is asked about again next time. */
  const installationOf = (repository: string): Promise<number> => {
    const key = repoKey(repository);
    let found = byRepository.get(key);
    if (!found) {
      found = lookUp(repository);
      byRepository.set(key, found);
      found.catch(() => byRepository.delete(key));
    }
    return found;
  };

  /** A token of the installation covering `repository`, fresh or cached. */
  async function tokenFor(repository: string) {
    const installationId = await installationOf(repository);
    try {
      return { installationId, auth: await authOf(installationId)({ type: 'installation' }) };
    } catch (error) {
      // Uninstalled since it was looked up: forget it, so the next call looks again.
      if (error instanceof RequestError && error.status === 404) {
        byRepository.delete(repoKey(repository));
        throw await notInstalled(repository, error);
      }
      throw mapGitHubError(error, { repository });
    }
  }

  async function hook(...[hookRequest, route, parameters]: HookArgs) {
    const endpoint = hookRequest.endpoint.merge(route as string, parameters);
    const path = apiPathOf(hookRequest.endpoint.parse(endpoint).url, endpoint.baseUrl);
    if (isAppRoute(path)) return app.hook(hookRequest, route, parameters);
    const repository = repositoryOf(path);
    if (repository === undefined) {
      throw new DeploybotError(
        'internal',
        `${endpoint.method} ${path} names no repository, so deploybot cannot tell which installation of its GitHub App to use`,
      );
    }
    const { installationId } = await tokenFor(repository);
    // The token is cached by now; auth-app's hook adds it and retries GitHub's early 401s.
    return authOf(installationId).hook(hookRequest, route, parameters);
  }

  async function auth(authOptions: RepositoryInstallationAuthOptions | Parameters<AppAuth>[0]) {
    if (authOptions.type === 'installation' && typeof authOptions.repository === 'string') {
      return (await tokenFor(authOptions.repository)).auth;
    }
    return app(authOptions as Parameters<AppAuth>[0]);
  }

  return Object.assign(auth, { hook });
}

/** Paths that take the App's JWT rather than an installation token. */
function isAppRoute(path: string): boolean {
  return (
    /^\/app(\/|$)/.test(path) ||
    /^\/app-manifests\//.test(path) ||
    /^\/(repos\/[^/]+\/[^/]+|orgs\/[^/]+|users\/[^/]+|enterprises\/[^/]+)\/installation$/.test(path)
  );
}

/** `owner/name` of a path under /repos/, decoded; undefined for any other path. */
export function repositoryOf(path: string): string | undefined {
  const match = /^\/repos\/([^/]+)\/([^/]+)/.exec(path);
  if (!match) return undefined;
  return `${decodeURIComponent(match[1]!)}/${decodeURIComponent(match[2]!)}`;
}

/** The path of `url` below the API's base URL, without its query. */
function apiPathOf(url: string, baseUrl: string): string {
  const below = url.startsWith(baseUrl) ? url.slice(baseUrl.length) : new URL(url).pathname;
  return below.split('?')[0] ?? '';
}

import { Octokit } from '@octokit/rest';
import type { GitHubAppManifestPort } from '../core/ports/github-app-manifest.js';
import { mapGitHubError } from './errors.js';

/**
 * `POST /app-manifests/{code}/conversions`. It takes no credentials (the code is the proof),
 * so it needs no client of deploybot's: deploybot has none yet when it registers its App.
 */
export function createAppManifestConversion(options: {
  readonly baseUrl: string;
  readonly fetch: typeof globalThis.fetch;
  readonly userAgent: string;
}): GitHubAppManifestPort {
  const github = new Octokit({
    baseUrl: options.baseUrl,
    userAgent: options.userAgent,
    request: { fetch: options.fetch },
    // Octokit would log the failed request itself; the caller says what went wrong.
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  return {
    async convert(code) {
      try {
        const { data } = await github.rest.apps.createFromManifest({ code });
        return {
          id: data.id,
          slug: data.slug ?? '',
          name: data.name,
          owner: data.owner && 'login' in data.owner ? data.owner.login : '',
          privateKey: data.pem,
          webhookSecret: data.webhook_secret ?? undefined,
        };
      } catch (error) {
        throw mapGitHubError(error, { repository: 'the GitHub App manifest' });
      }
    },
  };
}

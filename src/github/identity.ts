import type { GitHubIdentity, IdentityPort } from '../core/ports/identity.js';
import type { GitHubAuth, GitHubClient } from './client.js';
import { mapGitHubError } from './errors.js';

/** deploybot's login on GitHub: `<slug>[bot]` of its App (GET /app), or the token's user (GET /user). */
export function createGitHubIdentity(github: GitHubClient, auth: GitHubAuth): IdentityPort {
  let known: Promise<GitHubIdentity> | undefined;
  const ask = async (): Promise<GitHubIdentity> => {
    try {
      if (auth.kind === 'app') {
        const { data } = await github.rest.apps.getAuthenticated();
        return { login: `${data?.slug ?? ''}[bot]`, kind: 'app' };
      }
      const { data } = await github.rest.users.getAuthenticated();
      return { login: data.login, kind: 'user' };
    } catch (error) {
      throw mapGitHubError(error, { repository: "deploybot's own account" });
    }
  };
  return {
    identity() {
      known ??= ask().catch((error: unknown) => {
        known = undefined;
        throw error;
      });
      return known;
    },
  };
}

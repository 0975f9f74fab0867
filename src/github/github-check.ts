import { RequestError } from '@octokit/request-error';
import type { RepoRef } from '../core/ports/github.js';
import type { GitHubCheckPort, GitHubCredential, RepositoryRead } from '../core/ports/github-check.js';
import type { GitHubAuth, GitHubClient } from './client.js';
import { mapGitHubError } from './errors.js';
import { githubInstallUrl, githubWebUrlFromApi } from './urls.js';

const fullName = (r: RepoRef) => `${r.owner}/${r.repo}`;

/** GitHub as `deploybot check` asks it: who the credential is, and what it can read. */
export function createGitHubCheck(github: GitHubClient, auth: GitHubAuth): GitHubCheckPort {
  const webUrl = githubWebUrlFromApi(github.request.endpoint.DEFAULTS.baseUrl);

  async function credential(): Promise<GitHubCredential> {
    try {
      if (auth.kind === 'app') {
        const { data } = await github.rest.apps.getAuthenticated();
        const slug = data?.slug ?? '';
        return {
          kind: 'app',
          id: data?.id ?? 0,
          slug,
          name: data?.name ?? slug,
          permissions: { ...(data?.permissions ?? {}) } as Record<string, string>,
          installUrl: githubInstallUrl(webUrl, slug),
          installationId: auth.installationId,
        };
      }
      const response = await github.rest.users.getAuthenticated();
      const header = response.headers['x-oauth-scopes'];
      return {
        kind: 'token',
        login: response.data.login,
        scopes:
          typeof header === 'string'
            ? header
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
            : undefined,
      };
    } catch (error) {
      // An installation token in GITHUB_TOKEN is no user's: GitHub refuses it /user, nothing else.
      if (auth.kind === 'token' && error instanceof RequestError && error.status === 403) {
        return { kind: 'token', login: undefined, scopes: undefined };
      }
      throw mapGitHubError(error, { repository: "deploybot's own account" });
    }
  }

  return {
    credential,
    async installation(r) {
      try {
        const { data } = await github.rest.apps.getRepoInstallation({ owner: r.owner, repo: r.repo });
        const account = data.account && 'login' in data.account ? data.account.login : r.owner;
        return {
          id: data.id,
          account,
          permissions: { ...data.permissions } as Record<string, string>,
          settingsUrl: data.html_url,
        };
      } catch (error) {
        if (error instanceof RequestError && error.status === 404) return undefined;
        throw mapGitHubError(error, { repository: fullName(r) });
      }
    },
    async repository(r) {
      try {
        const { data } = await github.rest.repos.get({ owner: r.owner, repo: r.repo });
        return { defaultBranch: data.default_branch, private: data.private };
      } catch (error) {
        throw mapGitHubError(error, { repository: fullName(r) });
      }
    },
    async read(r, what: RepositoryRead, ref) {
      const repo = { owner: r.owner, repo: r.repo };
      try {
        if (what === 'deployments') await github.rest.repos.listDeployments({ ...repo, per_page: 1 });
        else if (what === 'contents') await github.rest.repos.getCommit({ ...repo, ref });
        else if (what === 'statuses') await github.rest.repos.getCombinedStatusForRef({ ...repo, ref });
        else await github.rest.checks.listForRef({ ...repo, ref, per_page: 1 });
      } catch (error) {
        throw mapGitHubError(error, { repository: fullName(r), ref });
      }
    },
  };
}

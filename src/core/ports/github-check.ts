import type { GitHubPermissions } from '../github-permissions.js';
import type { RepoRef } from './github.js';

/** deploybot's GitHub credential, as GitHub describes it. */
export type GitHubCredential =
  | {
      readonly kind: 'app';
      readonly id: number;
      readonly slug: string;
      readonly name: string;
      readonly permissions: GitHubPermissions;
      /** Where an owner installs it. */
      readonly installUrl: string;
      /** GITHUB_APP_INSTALLATION_ID, when set. */
      readonly installationId: number | undefined;
    }
  | {
      readonly kind: 'token';
      /** Undefined for a token that is not a user's (an installation token). */
      readonly login: string | undefined;
      /** A classic token's scopes (`x-oauth-scopes`); undefined for fine-grained and installation tokens. */
      readonly scopes: readonly string[] | undefined;
    };

export interface GitHubInstallation {
  readonly id: number;
  readonly account: string;
  readonly permissions: GitHubPermissions;
  /** The installation's settings page, where repositories are added and new permissions accepted. */
  readonly settingsUrl: string;
}

/** The reads deploybot makes of a repository, each needing a permission of the credential. */
export type RepositoryRead = 'deployments' | 'contents' | 'statuses' | 'checks';

/**
 * What `deploybot check` asks GitHub. Refusals come back as DeploybotErrors with GitHub codes
 * (`github_unauthorized`, `github_forbidden`, `github_not_found`, …).
 */
export interface GitHubCheckPort {
  credential(): Promise<GitHubCredential>;
  /** The App's installation covering `repo`; undefined when it has none. Only for an App. */
  installation(repo: RepoRef): Promise<GitHubInstallation | undefined>;
  repository(repo: RepoRef): Promise<{ readonly defaultBranch: string; readonly private: boolean }>;
  /** Makes the read deploybot makes of `ref`, for the answer only. */
  read(repo: RepoRef, what: RepositoryRead, ref: string): Promise<void>;
}

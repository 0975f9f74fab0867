/**
 * Who deploybot is on GitHub: the login GitHub records as the creator of the deployments and
 * statuses deploybot makes, so it can tell its own from those of other tools.
 */
export interface GitHubIdentity {
  /** `<slug>[bot]` for a GitHub App; the token owner's login otherwise. */
  readonly login: string;
  readonly kind: 'app' | 'user';
}

export interface IdentityPort {
  /** Asked of GitHub once and remembered; a failure is asked again next time. */
  identity(): Promise<GitHubIdentity>;
}

import { GITHUB_APP_EVENTS, REQUIRED_GITHUB_PERMISSIONS } from '../core/github-permissions.js';

/** A GitHub App manifest, as GitHub's manifest flow takes it (app.yml ships the same one). */
export interface AppManifest {
  readonly name: string;
  readonly description: string;
  readonly url: string;
  readonly hook_attributes: { readonly url: string; readonly active: boolean };
  readonly redirect_url: string;
  readonly public: boolean;
  readonly default_permissions: Readonly<Record<string, string>>;
  readonly default_events: readonly string[];
}

export const DEFAULT_APP_NAME = 'deploybot';

/**
 * deploybot's App: webhooks to PUBLIC_URL/github/webhooks, back to the setup page once GitHub
 * has made it, private to the account that registers it, with exactly the permissions and
 * events deploybot needs.
 */
export function buildAppManifest(options: {
  readonly publicUrl: string;
  readonly name: string;
}): AppManifest {
  return {
    name: options.name,
    description:
      'ChatOps deployments: GitHub deployments from Slack and merged pull requests, announced in Slack.',
    url: options.publicUrl,
    hook_attributes: { url: `${options.publicUrl}/github/webhooks`, active: true },
    redirect_url: `${options.publicUrl}/setup/github/callback`,
    public: false,
    default_permissions: { ...REQUIRED_GITHUB_PERMISSIONS },
    default_events: [...GITHUB_APP_EVENTS],
  };
}

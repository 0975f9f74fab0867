/** api.github.com → https://github.com; GHES https://host/api/v3 → https://host; anything else: its origin. */
export function githubWebUrlFromApi(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname === 'api.github.com') return 'https://github.com';
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api\/v3$/, '');
  return `${url.origin}${path}`;
}

/** The public page of the App `slug`. */
export function githubAppUrl(webUrl: string, slug: string): string {
  return `${webUrl}/apps/${encodeURIComponent(slug)}`;
}

/** Where an owner installs the App `slug` and picks its repositories. */
export function githubInstallUrl(webUrl: string, slug: string): string {
  return `${githubAppUrl(webUrl, slug)}/installations/new`;
}

/** GitHub's "register a new GitHub App" page, for the signed-in user or for an organization. */
export function githubNewAppUrl(webUrl: string, organization?: string): string {
  return organization === undefined
    ? `${webUrl}/settings/apps/new`
    : `${webUrl}/organizations/${encodeURIComponent(organization)}/settings/apps/new`;
}

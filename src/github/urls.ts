/** api.github.com → https://github.com; GHES https://host/api/v3 → https://host; anything else: its origin. */
export function githubWebUrlFromApi(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname === 'api.github.com') return 'https://github.com';
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api\/v3$/, '');
  return `${url.origin}${path}`;
}

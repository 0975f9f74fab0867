import type { AppRegistry, CreateAppInput } from './app-registry.js';
import type { Reply } from './http-exchange.js';
import type { RecordedRequest } from './request-log.js';

/** A manifest as someone posted it to GitHub's "new App" page, for tests to look at. */
export interface ReceivedManifest {
  /** The organization whose page it was posted to; undefined for the user's own. */
  organization: string | undefined;
  state: string | undefined;
  manifest: Record<string, unknown>;
}

const NEW_APP_PAGE = /^\/(?:organizations\/([^/]+)\/)?settings\/apps\/new$/;

function page(status: number, text: string): Reply {
  return { status, body: text, headers: { 'content-type': 'text/html; charset=utf-8' } };
}

function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function toAppInput(manifest: Record<string, unknown>, owner: string): CreateAppInput | string {
  const name = typeof manifest.name === 'string' ? manifest.name : '';
  const hook = manifest.hook_attributes as { url?: unknown; active?: unknown } | undefined;
  if (!name || !slugOf(name)) return 'Name can’t be blank';
  if (typeof manifest.url !== 'string') return 'Homepage URL can’t be blank';
  if (hook?.active !== false && typeof hook?.url !== 'string') return 'Hook URL can’t be blank';
  return {
    slug: slugOf(name),
    name,
    owner,
    url: manifest.url,
    permissions: { ...((manifest.default_permissions as Record<string, string>) ?? {}) },
    events: [...((manifest.default_events as string[]) ?? [])],
    ...(typeof hook?.url === 'string' ? { hookUrl: hook.url } : {}),
    ...(typeof manifest.redirect_url === 'string' ? { redirectUrl: manifest.redirect_url } : {}),
  };
}

/**
 * GitHub's "Register new GitHub App" page for a posted manifest, with its "Create GitHub App"
 * button already pressed: the App-to-be is kept under a one-use code and the browser is sent
 * to the manifest's redirect_url with that code and the `state` it came with.
 */
export function answerNewAppPage(
  apps: AppRegistry,
  request: RecordedRequest,
  received: ReceivedManifest[],
): Reply | undefined {
  const match = NEW_APP_PAGE.exec(request.path);
  if (!match) return undefined;
  if (request.method !== 'POST') return page(200, '<form method="post"><input name="manifest"></form>');
  const organization = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
  const raw = new URLSearchParams(request.rawBody).get('manifest') ?? '';
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return page(422, 'Invalid GitHub App configuration: the manifest is not JSON');
  }
  const state = request.query.state;
  received.push({ organization, state, manifest });
  const input = toAppInput(manifest, organization ?? 'octocat');
  if (typeof input === 'string') return page(422, `Invalid GitHub App configuration: ${input}`);
  const code = apps.registerManifest(input);
  if (input.redirectUrl === undefined) return page(200, `Created ${input.name}`);
  const location = new URL(input.redirectUrl);
  location.searchParams.set('code', code);
  if (state !== undefined) location.searchParams.set('state', state);
  return { status: 302, headers: { location: location.toString() } };
}

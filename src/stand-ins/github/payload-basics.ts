import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

// Shared plumbing of the payload builders: loading @octokit/webhooks-examples and moving an
// example's repository, users and URLs to the repository a test names.

export type DeploymentStatusState =
  | 'error'
  | 'failure'
  | 'inactive'
  | 'in_progress'
  | 'queued'
  | 'pending'
  | 'success';

export interface GitHubUser {
  login: string;
  id: number;
  node_id: string;
  avatar_url: string;
  gravatar_id: string;
  url: string;
  html_url: string;
  followers_url: string;
  following_url: string;
  gists_url: string;
  starred_url: string;
  subscriptions_url: string;
  organizations_url: string;
  repos_url: string;
  events_url: string;
  received_events_url: string;
  type: 'User' | 'Bot' | 'Organization';
  user_view_type: string;
  site_admin: boolean;
}

export interface RepositoryShape {
  defaultBranch?: string;
  private?: boolean;
  /** Defaults to a number derived from the full name, so it is stable across runs. */
  id?: number;
}

export interface PayloadContext {
  /** Host of the `url`-style fields; the stand-in passes its own address. */
  apiUrl?: string | undefined;
  repository?: RepositoryShape | undefined;
  /** Adds `installation: {id, node_id}` as GitHub does for App webhooks. */
  installationId?: number | undefined;
}

export type Json = Record<string, unknown>;

const EXAMPLE_REPO = 'Codertocat/Hello-World';
export const GITHUB_API = 'https://api.github.com';
export const GITHUB_WEB = 'https://github.com';

const definitions = createRequire(import.meta.url)('@octokit/webhooks-examples') as Array<{
  name: string;
  examples: Json[];
}>;

export function copyExample(event: string, pick: (example: Json) => boolean = () => true): Json {
  const found = definitions.find((definition) => definition.name === event)?.examples.find(pick);
  if (!found) throw new Error(`@octokit/webhooks-examples has no suitable "${event}" example`);
  return structuredClone(found);
}

export function replaceInStrings<T>(value: T, from: string, to: string): T {
  if (typeof value === 'string') return value.replaceAll(from, to) as T;
  if (Array.isArray(value)) return value.map((item) => replaceInStrings(item, from, to)) as T;
  if (value === null || typeof value !== 'object') return value;
  const result: Json = {};
  for (const [key, item] of Object.entries(value)) result[key] = replaceInStrings(item, from, to);
  return result as T;
}

/** Moves every URL and name of the example repository to `fullName` on `apiUrl`. */
export function retargetExample(example: Json, fullName: string, apiUrl: string): Json {
  return replaceInStrings(replaceInStrings(example, EXAMPLE_REPO, fullName), `${GITHUB_API}/`, `${apiUrl}/`);
}

/** A deterministic 40-hex sha, so tests can name commits without inventing hex by hand. */
export function deriveSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

/** Ids that look like GitHub's and stay the same for the same seed. */
export function deriveId(seed: string): number {
  return 1_000_000 + (Number.parseInt(deriveSha(seed).slice(0, 8), 16) % 900_000_000);
}

/** GitHub timestamps carry whole seconds. */
export function formatGitHubTime(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function splitFullName(fullName: string): [owner: string, name: string] {
  const [owner, name, ...rest] = fullName.split('/');
  if (!owner || !name || rest.length > 0) throw new Error(`Expected "owner/name", got "${fullName}"`);
  return [owner, name];
}

export function buildUser(login: string, apiUrl: string = GITHUB_API): GitHubUser {
  const id = deriveId(`user:${login}`);
  const isBot = login.endsWith('[bot]');
  const users = `${apiUrl}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: Buffer.from(`04:${isBot ? 'Bot' : 'User'}${id}`).toString('base64'),
    avatar_url: `https://avatars.githubusercontent.com/${isBot ? 'in' : 'u'}/${id}?v=4`,
    gravatar_id: '',
    url: users,
    html_url: isBot ? `${GITHUB_WEB}/apps/${login.slice(0, -'[bot]'.length)}` : `${GITHUB_WEB}/${login}`,
    followers_url: `${users}/followers`,
    following_url: `${users}/following{/other_user}`,
    gists_url: `${users}/gists{/gist_id}`,
    starred_url: `${users}/starred{/owner}{/repo}`,
    subscriptions_url: `${users}/subscriptions`,
    organizations_url: `${users}/orgs`,
    repos_url: `${users}/repos`,
    events_url: `${users}/events{/privacy}`,
    received_events_url: `${users}/received_events`,
    type: isBot ? 'Bot' : 'User',
    user_view_type: 'public',
    site_admin: false,
  };
}

export function resolveUser(
  user: string | GitHubUser | undefined,
  fallback: string,
  apiUrl: string,
): GitHubUser {
  if (typeof user === 'object') return user;
  return buildUser(user ?? fallback, apiUrl);
}

/** A full webhook-style repository object (the shape `repository` has in every event). */
export function buildRepository(fullName: string, shape: RepositoryShape = {}, apiUrl = GITHUB_API): Json {
  const [owner, name] = splitFullName(fullName);
  const example = copyExample('deployment').repository as Json;
  const repository = retargetExample(example, fullName, apiUrl);
  const id = shape.id ?? deriveId(`repo:${fullName.toLowerCase()}`);
  const isPrivate = shape.private ?? false;
  return Object.assign(repository, {
    id,
    node_id: Buffer.from(`010:Repository${id}`).toString('base64'),
    name,
    full_name: fullName,
    private: isPrivate,
    owner: buildUser(owner, apiUrl),
    html_url: `${GITHUB_WEB}/${fullName}`,
    clone_url: `${GITHUB_WEB}/${fullName}.git`,
    visibility: isPrivate ? 'private' : 'public',
    default_branch: shape.defaultBranch ?? 'main',
  });
}

export function applyContext(payload: Json, fullName: string, context: PayloadContext, apiUrl: string): void {
  payload.repository = buildRepository(fullName, context.repository, apiUrl);
  if (context.installationId !== undefined) {
    payload.installation = {
      id: context.installationId,
      node_id: Buffer.from(`023:IntegrationInstallation${context.installationId}`).toString('base64'),
    };
  }
}

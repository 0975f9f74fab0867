import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeploybotError, presentError } from '../../src/core/errors.js';
import { createGitHubClient, type GitHubAuth, getGitToken } from '../../src/github/client.js';
import { createGitHubPort } from '../../src/github/github-port.js';
import { createGitHubIdentity } from '../../src/github/identity.js';
import { createLogger } from '../../src/logger.js';
import {
  type GitHubStandIn,
  type StandInApp,
  startGitHubStandIn,
} from '../../src/stand-ins/github-stand-in.js';
import { createManualScheduler, type ManualScheduler } from '../support/manual-scheduler.js';

const TOKEN = 'ghp_not_for_apps';
const MINUTE = 60_000;

describe('a GitHub App on several installations', () => {
  let github: GitHubStandIn;
  let app: StandInApp;
  let clock: ManualScheduler;
  let octoOrg: number;
  let logs: string[];

  const clientFor = (auth: GitHubAuth) =>
    createGitHubClient({
      auth,
      baseUrl: github.url,
      fetch: globalThis.fetch,
      logger: createLogger({ level: 'debug', destination: { write: (line: string) => logs.push(line) } }),
      userAgent: 'deploybot',
      retryBaseMs: 5,
      retries: 2,
      writeIntervalMs: 0,
      clock,
    });
  const appAuth = (): GitHubAuth => ({ kind: 'app', appId: String(app.id), privateKey: app.privateKey });
  const calls = (pattern: RegExp) => github.requests.filter((r) => pattern.test(`${r.method} ${r.path}`));

  beforeEach(async () => {
    logs = [];
    clock = createManualScheduler();
    github = await startGitHubStandIn({ token: TOKEN, now: () => clock.now() });
    for (const name of ['octo-org/web', 'octo-org/api', 'acme/shop', 'initech/tps']) {
      github.addRepository(name, { defaultBranch: name === 'acme/shop' ? 'trunk' : 'main' });
    }
    app = github.createApp({ slug: 'deploybot-test' });
    octoOrg = github.installApp(app.id, 'octo-org');
    github.installApp(app.id, 'acme');
  });
  afterEach(async () => {
    await github.close();
  });

  it('uses the installation of each repository’s owner, looked up once and remembered', async () => {
    const port = createGitHubPort(clientFor(appAuth()), appAuth());
    expect(await port.getDefaultBranch({ owner: 'octo-org', repo: 'web' })).toBe('main');
    expect(await port.getDefaultBranch({ owner: 'acme', repo: 'shop' })).toBe('trunk');
    expect(await port.getDefaultBranch({ owner: 'octo-org', repo: 'web' })).toBe('main');
    expect(await port.getDefaultBranch({ owner: 'octo-org', repo: 'api' })).toBe('main');

    expect(calls(/installation$/).map((r) => r.path)).toEqual([
      '/repos/octo-org/web/installation',
      '/repos/acme/shop/installation',
      '/repos/octo-org/api/installation',
    ]);
    // One token per installation, however many repositories and calls.
    expect(calls(/access_tokens$/)).toHaveLength(2);
    const tokenCalls = calls(/^GET \/repos\/[^/]+\/[^/]+$/);
    expect(new Set(tokenCalls.map((r) => r.headers.authorization)).size).toBe(2);
    expect(tokenCalls.every((r) => r.status === 200)).toBe(true);
    expect(github.schemaErrors).toEqual([]);
  });

  it('answers for a repository the App is not on by naming the install page, and looks again next time', async () => {
    const port = createGitHubPort(clientFor(appAuth()), appAuth());
    const error = await port.getDefaultBranch({ owner: 'initech', repo: 'tps' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeploybotError);
    const refused = error as DeploybotError;
    expect(refused.code).toBe('github_app_not_installed');
    expect(refused.details).toMatchObject({
      repository: 'initech/tps',
      owner: 'initech',
      installUrl: `${github.url}/apps/deploybot-test/installations/new`,
    });
    expect(presentError(refused).text).toBe(
      `deploybot's GitHub App is not installed on initech/tps: install it at ${github.url}/apps/deploybot-test/installations/new (on initech, with access to initech/tps).`,
    );
    expect(refused.message).toContain(`${github.url}/apps/deploybot-test/installations/new`);
    expect(refused.retryable).toBe(false);

    github.installApp(app.id, 'initech');
    expect(await port.getDefaultBranch({ owner: 'initech', repo: 'tps' })).toBe('main');
  });

  it('renews an installation token before it expires, and not sooner', async () => {
    const port = createGitHubPort(clientFor(appAuth()), appAuth());
    const web = { owner: 'octo-org', repo: 'web' };
    await port.getDefaultBranch(web);
    await clock.advance(50 * MINUTE);
    await port.getDefaultBranch(web);
    expect(calls(/access_tokens$/)).toHaveLength(1);
    await clock.advance(6 * MINUTE);
    await port.getDefaultBranch(web);
    expect(calls(/access_tokens$/)).toHaveLength(2);
    const [first, later, renewed] = calls(/^GET \/repos\/octo-org\/web$/).map((r) => r.headers.authorization);
    expect(later).toBe(first);
    expect(renewed).not.toBe(first);
    expect(calls(/^GET \/repos\/octo-org\/web$/).every((r) => r.status === 200)).toBe(true);
  });

  it('gives git a token of the installation that covers the repository it clones', async () => {
    const client = clientFor(appAuth());
    const token = await getGitToken(client, appAuth(), 'acme/shop');
    expect(token).toMatch(/^ghs_/);
    const reach = async (repository: string) =>
      (await fetch(`${github.url}/repos/${repository}`, { headers: { authorization: `token ${token}` } }))
        .status;
    expect(await reach('acme/shop')).toBe(200);
    expect(await reach('octo-org/web')).toBe(404);
    await expect(getGitToken(client, appAuth(), 'initech/tps')).rejects.toMatchObject({
      code: 'github_app_not_installed',
    });
  });

  it('looks again when an installation it remembered was removed', async () => {
    const port = createGitHubPort(clientFor(appAuth()), appAuth());
    const web = { owner: 'octo-org', repo: 'web' };
    await port.getDefaultBranch(web);
    github.uninstallApp(octoOrg);
    await clock.advance(56 * MINUTE);
    await expect(port.getDefaultBranch(web)).rejects.toMatchObject({ code: 'github_app_not_installed' });
    github.installApp(app.id, 'octo-org');
    expect(await port.getDefaultBranch(web)).toBe('main');
  });

  it('acts as the one installation GITHUB_APP_INSTALLATION_ID names, without looking any up', async () => {
    const auth: GitHubAuth = {
      kind: 'app',
      appId: String(app.id),
      privateKey: app.privateKey,
      installationId: octoOrg,
    };
    const client = clientFor(auth);
    const port = createGitHubPort(client, auth);
    expect(await port.getDefaultBranch({ owner: 'octo-org', repo: 'web' })).toBe('main');
    await expect(port.getDefaultBranch({ owner: 'acme', repo: 'shop' })).rejects.toMatchObject({
      code: 'github_not_found',
    });
    expect(await getGitToken(client, auth, 'octo-org/web')).toMatch(/^ghs_/);
    expect(calls(/installation$/)).toEqual([]);
  });

  it('knows its own login: the App’s bot, or the token’s user', async () => {
    const identity = createGitHubIdentity(clientFor(appAuth()), appAuth());
    expect(await identity.identity()).toEqual({ login: 'deploybot-test[bot]', kind: 'app' });
    expect(await identity.identity()).toEqual({ login: 'deploybot-test[bot]', kind: 'app' });
    expect(calls(/^GET \/app$/)).toHaveLength(1);

    const tokenAuth: GitHubAuth = { kind: 'token', token: TOKEN };
    expect(await createGitHubIdentity(clientFor(tokenAuth), tokenAuth).identity()).toEqual({
      login: 'deploybot[bot]',
      kind: 'user',
    });
  });

  it('never logs the private key or a token', async () => {
    const port = createGitHubPort(clientFor(appAuth()), appAuth());
    await port.getDefaultBranch({ owner: 'octo-org', repo: 'web' });
    await port.getDefaultBranch({ owner: 'initech', repo: 'tps' }).catch(() => undefined);
    const tokens = calls(/^GET \/repos\/octo-org\/web$/).map(
      (r) => r.headers.authorization?.split(' ')[1] ?? '',
    );
    const text = logs.join('\n');
    expect(text).not.toContain(app.privateKey.split('\n')[1]);
    for (const token of tokens) expect(text).not.toContain(token);
  });
});

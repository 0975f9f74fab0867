import { createSign, generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEPLOYBOT_APP_PERMISSIONS,
  type GitHubStandIn,
  startGitHubStandIn,
} from '../../src/stand-ins/github-stand-in.js';

const TOKEN = 'ghp_stand_in_token';

/** An App JWT as @octokit/auth-app makes one: RS256, issued 30 s ago, valid ten minutes. */
function signJwt(privateKey: string, iss: number | string, now = Math.floor(Date.now() / 1000)): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iat: now - 30, exp: now + 570, iss })}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(privateKey).toString('base64url');
  return `${unsigned}.${signature}`;
}

describe('GitHub stand-in: GitHub Apps', () => {
  let github: GitHubStandIn;
  afterEach(async () => {
    await github?.close();
  });

  const call = async (method: string, path: string, credential?: string, body?: unknown) => {
    const response = await fetch(`${github.url}${path}`, {
      method,
      headers: {
        ...(credential ? { authorization: credential } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };

  it('answers GET /app only to a JWT signed with the App key, naming its slug and permissions', async () => {
    github = await startGitHubStandIn({ token: TOKEN });
    const app = github.createApp({ slug: 'deploybot-acme' });
    const ok = await call('GET', '/app', `Bearer ${signJwt(app.privateKey, app.id)}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      id: app.id,
      slug: 'deploybot-acme',
      permissions: DEPLOYBOT_APP_PERMISSIONS,
    });
    expect((await call('GET', '/app', `Bearer ${signJwt(app.privateKey, app.clientId)}`)).status).toBe(200);

    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs1',
      format: 'pem',
    });
    const forged = await call('GET', '/app', `Bearer ${signJwt(String(other), app.id)}`);
    expect(forged).toMatchObject({ status: 401, body: { message: 'A JSON web token could not be decoded' } });
    const stale = await call(
      'GET',
      '/app',
      `Bearer ${signJwt(app.privateKey, app.id, Math.floor(Date.now() / 1000) - 700)}`,
    );
    expect(stale.status).toBe(401);
    expect(stale.body.message).toContain("'Expiration time' claim");
    expect((await call('GET', '/app', `token ${TOKEN}`)).status).toBe(401);
    expect(github.schemaErrors).toEqual([]);
  });

  it('finds the installation of a repository and issues tokens that reach only what it covers', async () => {
    github = await startGitHubStandIn({ token: TOKEN });
    for (const name of ['octo-org/web', 'octo-org/api', 'acme/shop']) github.addRepository(name);
    const app = github.createApp();
    const jwt = `Bearer ${signJwt(app.privateKey, app.id)}`;
    const installation = github.installApp(app.id, 'octo-org', { repositories: ['octo-org/web'] });

    const found = await call('GET', '/repos/octo-org/web/installation', jwt);
    expect(found).toMatchObject({ status: 200, body: { id: installation, app_slug: 'deploybot' } });
    expect(found.body.account.login).toBe('octo-org');
    expect((await call('GET', '/repos/octo-org/api/installation', jwt)).status).toBe(404);
    expect((await call('GET', '/repos/acme/shop/installation', jwt)).status).toBe(404);
    expect((await call('GET', '/repos/octo-org/web/installation', `token ${TOKEN}`)).status).toBe(401);

    const issued = await call('POST', `/app/installations/${installation}/access_tokens`, jwt);
    expect(issued).toMatchObject({ status: 201, body: { permissions: DEPLOYBOT_APP_PERMISSIONS } });
    expect(Date.parse(issued.body.expires_at)).toBeGreaterThan(Date.now() + 3_500_000);
    const token = `token ${issued.body.token as string}`;
    expect((await call('GET', '/repos/octo-org/web', token)).status).toBe(200);
    expect((await call('GET', '/repos/octo-org/api', token)).status).toBe(404);
    expect((await call('POST', '/app/installations/999/access_tokens', jwt)).status).toBe(404);

    const created = await call('POST', '/repos/octo-org/web/deployments', token, {
      ref: 'main',
      auto_merge: false,
    });
    expect(created.status).toBe(422); // no ref main yet, but the token was let in
    github.uninstallApp(installation);
    expect((await call('GET', '/repos/octo-org/web', token)).status).toBe(401);
    expect(github.schemaErrors).toEqual([]);
  });

  it('refuses calls an installation lacks the permission for, and expired tokens', async () => {
    github = await startGitHubStandIn({ token: TOKEN, tokenLifetimeMs: 300 });
    github.addRepository('octo-org/web');
    const app = github.createApp();
    const installation = github.installApp(app.id, 'octo-org', {
      permissions: { metadata: 'read', deployments: 'read' },
    });
    const issued = await call(
      'POST',
      `/app/installations/${installation}/access_tokens`,
      `Bearer ${signJwt(app.privateKey, app.id)}`,
    );
    const token = `token ${issued.body.token as string}`;
    expect((await call('GET', '/repos/octo-org/web/deployments', token)).status).toBe(200);
    const write = await call('POST', '/repos/octo-org/web/deployments', token, { ref: 'main' });
    expect(write).toMatchObject({ status: 403, body: { message: 'Resource not accessible by integration' } });
    expect((await call('GET', '/repos/octo-org/web/commits/main', token)).status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await call('GET', '/repos/octo-org/web', token)).toMatchObject({
      status: 401,
      body: { message: 'Bad credentials' },
    });
  });

  it('plays the manifest flow: the new-App page sends the browser back with a one-use code', async () => {
    github = await startGitHubStandIn({ token: TOKEN });
    const manifest = {
      name: 'Deploybot Acme',
      url: 'https://deploy.example.com',
      hook_attributes: { url: 'https://deploy.example.com/github/webhooks' },
      redirect_url: 'https://deploy.example.com/setup/github/callback',
      public: false,
      default_permissions: { deployments: 'write', metadata: 'read' },
      default_events: ['deployment'],
    };
    const page = await fetch(`${github.url}/organizations/acme/settings/apps/new?state=s1`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ manifest: JSON.stringify(manifest) }).toString(),
      redirect: 'manual',
    });
    expect(page.status).toBe(302);
    const location = new URL(page.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(manifest.redirect_url);
    expect(location.searchParams.get('state')).toBe('s1');
    expect(github.receivedManifests).toEqual([{ organization: 'acme', state: 's1', manifest }]);

    const code = location.searchParams.get('code') ?? '';
    const converted = await call('POST', `/app-manifests/${code}/conversions`);
    expect(converted).toMatchObject({
      status: 201,
      body: {
        slug: 'deploybot-acme',
        name: 'Deploybot Acme',
        owner: { login: 'acme' },
        events: ['deployment'],
      },
    });
    expect(converted.body.pem).toContain('-----BEGIN RSA PRIVATE KEY-----');
    expect(converted.body.webhook_secret).toMatch(/^[0-9a-f]{40}$/);
    expect((await call('POST', `/app-manifests/${code}/conversions`)).status).toBe(404);
    const jwt = `Bearer ${signJwt(converted.body.pem as string, converted.body.id as number)}`;
    expect((await call('GET', '/app', jwt)).body.permissions).toEqual(manifest.default_permissions);
  });

  it('plays GitHub Enterprise Server: the API below /api/v3 and web URLs on the stand-in', async () => {
    github = await startGitHubStandIn({ token: TOKEN, enterprise: true });
    github.addRepository('octo-org/web');
    expect(github.url).toBe(`${github.webUrl}/api/v3`);
    const repository = await call('GET', '/repos/octo-org/web', `token ${TOKEN}`);
    expect(repository.body.html_url).toBe(`${github.webUrl}/octo-org/web`);
    expect(repository.body.url).toBe(`${github.url}/repos/octo-org/web`);
    expect(
      (await fetch(`${github.webUrl}/repos/octo-org/web`, { headers: { authorization: `token ${TOKEN}` } }))
        .status,
    ).toBe(404);
  });

  it('holds every call against the documented operations and names classic and fine-grained token limits', async () => {
    github = await startGitHubStandIn({
      token: TOKEN,
      tokenScopes: ['repo', 'read:org'],
      tokenPermissions: { deployments: 'read' },
    });
    github.addRepository('octo-org/web');
    const answer = await call('GET', '/repos/octo-org/web', `token ${TOKEN}`);
    expect(answer.headers.get('x-oauth-scopes')).toBe('repo, read:org');
    const write = await call('POST', '/repos/octo-org/web/deployments', `token ${TOKEN}`, { ref: 'main' });
    expect(write).toMatchObject({
      status: 403,
      body: { message: 'Resource not accessible by personal access token' },
    });
    expect(github.schemaErrors).toEqual([]);

    await call('GET', '/repos/octo-org/web/deployments?shaa=1', `token ${TOKEN}`);
    await call('GET', '/repos/octo-org/web/deploys', `token ${TOKEN}`);
    await call('GET', '/repos/octo-org/web/deployments?per_page=many', `token ${TOKEN}`);
    expect(github.schemaErrors).toEqual([
      'GET /repos/octo-org/web/deployments: repos/list-deployments has no query parameter "shaa"',
      'GET /repos/octo-org/web/deploys: not a documented GitHub REST operation',
      expect.stringContaining('query parameter "per_page" is "many"'),
    ]);
  });
});

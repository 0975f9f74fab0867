import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSetupSettings } from '../../src/config/settings.js';
import { createGitHubClient } from '../../src/github/client.js';
import { createGitHubIdentity } from '../../src/github/identity.js';
import { createLogger } from '../../src/logger.js';
import { type RunningSetup, startSetup } from '../../src/setup/start-setup.js';
import { type GitHubStandIn, startGitHubStandIn } from '../../src/stand-ins/github-stand-in.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const unescapeHtml = (text: string) =>
  text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

/** What a browser would post: the page's form, its action and hidden manifest. */
function readForm(html: string): { action: string; manifest: string } {
  const form =
    /<form method="post" action="([^"]+)">\s*<input type="hidden" name="manifest" value="([^"]+)">/.exec(
      html,
    );
  if (!form) throw new Error(`no manifest form in:\n${html}`);
  return { action: unescapeHtml(form[1] ?? ''), manifest: unescapeHtml(form[2] ?? '') };
}

describe('npm run setup: the GitHub App manifest flow over HTTP', () => {
  let github: GitHubStandIn;
  let setup: RunningSetup | undefined;
  let logs: string[];
  let dir: string | undefined;
  afterEach(async () => {
    await setup?.stop();
    setup = undefined;
    await github?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function begin(options: { enterprise?: boolean; envFile?: string } = {}) {
    github = await startGitHubStandIn({
      token: 'ghp_unused',
      ...(options.enterprise ? { enterprise: true } : {}),
    });
    const port = await freePort();
    logs = [];
    setup = await startSetup({
      settings: parseSetupSettings({
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        GITHUB_API_URL: github.url,
      }),
      envFile: options.envFile,
      fetch: globalThis.fetch,
      logger: createLogger({ level: 'debug', destination: { write: (line: string) => logs.push(line) } }),
    });
    return { base: `http://127.0.0.1:${port}`, running: setup };
  }

  /** Opens the page, presses Create GitHub App, and follows GitHub back to the callback. */
  async function register(base: string, running: RunningSetup, query = '') {
    const page = await fetch(`${running.pageUrl}${query}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const form = readForm(await page.text());
    const created = await fetch(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ manifest: form.manifest }).toString(),
      redirect: 'manual',
    });
    expect(created.status).toBe(302);
    const callback = created.headers.get('location') ?? '';
    expect(callback.startsWith(`${base}/setup/github/callback?`)).toBe(true);
    const done = await fetch(callback);
    return { form, done, html: await done.text() };
  }

  it('opens only with the one-time code printed at start', async () => {
    const { base, running } = await begin();
    const bare = await fetch(`${base}/setup/github`);
    expect(bare.status).toBe(401);
    expect(await bare.text()).toContain('one-time code');
    expect((await fetch(`${base}/setup/github?code=${running.oneTimeCode}x`)).status).toBe(403);
    expect(running.pageUrl).toBe(`${base}/setup/github?code=${running.oneTimeCode}`);
    expect((await fetch(`${base}/setup/github/callback?code=abc&state=forged`)).status).toBe(403);
    expect(github.receivedManifests).toEqual([]);
  });

  it('registers the App GitHub makes of the manifest and shows the settings that sign in as it', async () => {
    const { base, running } = await begin();
    const { form, done, html } = await register(base, running);
    expect(form.action).toMatch(new RegExp(`^${github.url}/settings/apps/new\\?state=[\\w-]{20,}$`));
    expect(JSON.parse(form.manifest)).toMatchObject({
      hook_attributes: { url: `${base}/github/webhooks` },
      redirect_url: `${base}/setup/github/callback`,
      default_permissions: { deployments: 'write', pull_requests: 'read' },
    });
    expect(done.status).toBe(200);
    expect(done.headers.get('cache-control')).toBe('no-store');

    const [app] = github.apps;
    const shown = parseEnv(unescapeHtml(/<pre>([\s\S]*?)<\/pre>/.exec(html)?.[1] ?? ''));
    expect(shown).toEqual({
      GITHUB_APP_ID: String(app?.id),
      GITHUB_APP_PRIVATE_KEY: app?.privateKey,
      GITHUB_WEBHOOK_SECRET: app?.webhookSecret,
      // The stand-in is not api.github.com, so the API it was registered on is named too.
      GITHUB_API_URL: github.url,
    });
    expect(html).toContain(`href="${github.url}/apps/deploybot/installations/new"`);

    // The settings shown are good: they sign in as the App.
    const auth = {
      kind: 'app' as const,
      appId: shown.GITHUB_APP_ID ?? '',
      privateKey: shown.GITHUB_APP_PRIVATE_KEY ?? '',
    };
    const client = createGitHubClient({
      auth,
      baseUrl: github.url,
      fetch: globalThis.fetch,
      logger: createLogger({ level: 'silent' }),
      userAgent: 'deploybot',
      retryBaseMs: 5,
      retries: 0,
      writeIntervalMs: 0,
      clock: { now: () => Date.now() },
    });
    expect(await createGitHubIdentity(client, auth).identity()).toEqual({
      login: 'deploybot[bot]',
      kind: 'app',
    });

    // Done: the page and the callback close; nothing secret went to the log.
    expect((await fetch(running.pageUrl)).status).toBe(410);
    const text = logs.join('\n');
    expect(text).toContain('GitHub App registered');
    expect(text).not.toContain(app?.privateKey.split('\n')[1] ?? 'unset');
    expect(text).not.toContain(app?.webhookSecret ?? 'unset');
    expect(text).not.toContain(running.oneTimeCode);
    expect(github.schemaErrors).toEqual([]);
  });

  it('writes the settings to the env file it was given, not to the page', async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploybot-setup-'));
    const envFile = join(dir, '.env');
    const { base, running } = await begin({ envFile });
    const { html } = await register(base, running);
    const [app] = github.apps;
    expect(html).toContain(`written to <code>${envFile}</code>`);
    expect(html).not.toContain('PRIVATE KEY');
    expect(parseEnv(await readFile(envFile, 'utf8'))).toEqual({
      GITHUB_APP_ID: String(app?.id),
      GITHUB_APP_PRIVATE_KEY: app?.privateKey,
      GITHUB_WEBHOOK_SECRET: app?.webhookSecret,
      // The stand-in is not api.github.com, so the API it was registered on is named too.
      GITHUB_API_URL: github.url,
    });
  });

  it('on GitHub Enterprise Server, posts to its pages, for an organization, and names its API', async () => {
    const { base, running } = await begin({ enterprise: true });
    const { form, html } = await register(base, running, '&organization=acme&name=Deploybot%20Acme');
    expect(form.action.startsWith(`${github.webUrl}/organizations/acme/settings/apps/new?state=`)).toBe(true);
    expect(github.receivedManifests[0]).toMatchObject({
      organization: 'acme',
      manifest: { name: 'Deploybot Acme' },
    });
    expect(github.apps[0]).toMatchObject({ slug: 'deploybot-acme', owner: 'acme' });
    expect(html).toContain(`href="${github.webUrl}/apps/deploybot-acme/installations/new"`);
    expect(html).toContain(`GITHUB_API_URL=&quot;${github.url}&quot;`);
  });
});

import { describe, expect, it } from 'vitest';
import { DeploybotError } from '../../src/core/errors.js';
import type { GitHubAppManifestPort, RegisteredGitHubApp } from '../../src/core/ports/github-app-manifest.js';
import { type AppRegistrationOptions, createAppRegistration } from '../../src/setup/register-app.js';

const APP: RegisteredGitHubApp = {
  id: 4242,
  slug: 'deploybot-acme',
  name: 'deploybot-acme',
  owner: 'acme',
  privateKey: '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n',
  webhookSecret: 'whsec',
};

function fakeManifests(answer: RegisteredGitHubApp | DeploybotError) {
  const codes: string[] = [];
  const port: GitHubAppManifestPort = {
    convert: async (code) => {
      codes.push(code);
      if (answer instanceof DeploybotError) throw answer;
      return answer;
    },
  };
  return { port, codes };
}

function registration(overrides: Partial<AppRegistrationOptions> = {}) {
  const manifests = fakeManifests(APP);
  const flow = createAppRegistration({
    oneTimeCode: 'otc-123',
    state: 'state-456',
    publicUrl: 'https://deploy.example.com',
    githubApiUrl: 'https://api.github.com',
    githubPages: {
      newApp: (org) =>
        org
          ? `https://github.com/organizations/${org}/settings/apps/new`
          : 'https://github.com/settings/apps/new',
      app: (slug) => `https://github.com/apps/${slug}`,
      install: (slug) => `https://github.com/apps/${slug}/installations/new`,
    },
    manifests: manifests.port,
    saveSettings: undefined,
    newSecret: () => 'generated-secret',
    ...overrides,
  });
  return { flow, codes: manifests.codes };
}

describe('registering deploybot as a GitHub App (the manifest flow)', () => {
  it.each<[string, string | undefined, { kind: string; wrong?: boolean }]>([
    ['no code', undefined, { kind: 'ask-code', wrong: false }],
    ['a wrong code', 'otc-12', { kind: 'ask-code', wrong: true }],
    ['the code', 'otc-123', { kind: 'register' }],
  ])('opens its page only with the one-time code: %s', (_name, code, expected) => {
    const { flow } = registration();
    expect(flow.page(code === undefined ? {} : { code })).toMatchObject(expected);
  });

  it('posts the manifest to GitHub with its state, for the user or an organization', () => {
    const { flow } = registration();
    const mine = flow.page({ code: 'otc-123' });
    expect(mine).toMatchObject({
      kind: 'register',
      action: 'https://github.com/settings/apps/new?state=state-456',
      name: 'deploybot',
      warnings: [],
    });
    const theirs = flow.page({ code: 'otc-123', organization: ' acme ', name: 'Deploybot Acme' });
    expect(theirs).toMatchObject({
      action: 'https://github.com/organizations/acme/settings/apps/new?state=state-456',
      organization: 'acme',
      manifest: {
        name: 'Deploybot Acme',
        hook_attributes: { url: 'https://deploy.example.com/github/webhooks' },
      },
    });
    const odd = flow.page({ code: 'otc-123', organization: 'a/b' });
    expect(odd).toMatchObject({ action: 'https://github.com/settings/apps/new?state=state-456' });
    expect(odd.kind === 'register' && odd.warnings[0]).toContain('"a/b" is not an organization name');
  });

  it('warns that GitHub cannot reach a PUBLIC_URL on this machine', () => {
    const { flow } = registration({ publicUrl: 'http://localhost:3000' });
    const page = flow.page({ code: 'otc-123' });
    expect(page.kind === 'register' && page.warnings.join(' ')).toContain(
      'GitHub cannot deliver webhooks there',
    );
  });

  it('takes back only its own state, and turns the code into the settings to set', async () => {
    const { flow, codes } = registration();
    expect(await flow.callback({ code: 'c1', state: 'other' })).toEqual({ kind: 'refused' });
    expect(await flow.callback({ state: 'state-456' })).toEqual({ kind: 'refused' });
    expect(codes).toEqual([]);
    expect(await flow.callback({ code: 'c1', state: 'state-456' })).toEqual({
      kind: 'registered',
      app: { id: 4242, slug: 'deploybot-acme', name: 'deploybot-acme', owner: 'acme' },
      installUrl: 'https://github.com/apps/deploybot-acme/installations/new',
      settings: {
        GITHUB_APP_ID: '4242',
        GITHUB_APP_PRIVATE_KEY: APP.privateKey,
        GITHUB_WEBHOOK_SECRET: 'whsec',
      },
      savedTo: undefined,
      webhookSecretToSet: false,
    });
    expect(codes).toEqual(['c1']);
  });

  it('is done once the App is registered: the page and the callback close', async () => {
    const { flow, codes } = registration();
    await flow.callback({ code: 'c1', state: 'state-456' });
    const finished = {
      kind: 'finished',
      app: { name: 'deploybot-acme', pageUrl: 'https://github.com/apps/deploybot-acme' },
    };
    expect(flow.page({ code: 'otc-123' })).toEqual(finished);
    expect(await flow.callback({ code: 'c2', state: 'state-456' })).toEqual(finished);
    expect(codes).toEqual(['c1']);
  });

  it('writes the settings where the user said instead of showing them', async () => {
    const saved: Record<string, string>[] = [];
    const { flow } = registration({
      saveSettings: async (settings) => {
        saved.push({ ...settings });
        return '/srv/deploybot/.env';
      },
    });
    const result = await flow.callback({ code: 'c1', state: 'state-456' });
    expect(result).toMatchObject({ kind: 'registered', settings: undefined, savedTo: '/srv/deploybot/.env' });
    expect(saved).toEqual([
      { GITHUB_APP_ID: '4242', GITHUB_APP_PRIVATE_KEY: APP.privateKey, GITHUB_WEBHOOK_SECRET: 'whsec' },
    ]);
  });

  it('shows the settings when they cannot be written: GitHub’s code is spent', async () => {
    const { flow } = registration({
      saveSettings: async () => {
        throw new Error('EACCES: permission denied');
      },
    });
    expect(await flow.callback({ code: 'c1', state: 'state-456' })).toMatchObject({
      kind: 'registered',
      savedTo: undefined,
      saveFailure: 'EACCES: permission denied',
      settings: { GITHUB_APP_ID: '4242' },
    });
  });

  it('names GITHUB_API_URL for GitHub Enterprise Server, and makes a webhook secret GitHub did not', async () => {
    const manifests = fakeManifests({ ...APP, webhookSecret: undefined });
    const { flow } = registration({
      githubApiUrl: 'https://ghe.example.com/api/v3',
      manifests: manifests.port,
    });
    expect(await flow.callback({ code: 'c1', state: 'state-456' })).toMatchObject({
      settings: {
        GITHUB_WEBHOOK_SECRET: 'generated-secret',
        GITHUB_API_URL: 'https://ghe.example.com/api/v3',
      },
      webhookSecretToSet: true,
    });
  });

  it('lets the user try again when GitHub refuses the code', async () => {
    const refused = new DeploybotError('github_not_found', 'Not Found');
    const { flow } = registration({ manifests: fakeManifests(refused).port });
    expect(await flow.callback({ code: 'c1', state: 'state-456' })).toEqual({
      kind: 'failed',
      error: refused,
    });
    expect(flow.page({ code: 'otc-123' }).kind).toBe('register');
  });
});

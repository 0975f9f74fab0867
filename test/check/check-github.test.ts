import { describe, expect, it } from 'vitest';
import { checkGitHub } from '../../src/check/check-github.js';
import { parseConfig } from '../../src/config/config-file.js';
import { DeploybotError } from '../../src/core/errors.js';
import { REQUIRED_GITHUB_PERMISSIONS } from '../../src/core/github-permissions.js';
import type {
  GitHubCheckPort,
  GitHubCredential,
  GitHubInstallation,
  RepositoryRead,
} from '../../src/core/ports/github-check.js';

const CONFIG = parseConfig(
  `
slack: { channel: C0DEPLOYS }
repos:
  octo-org/web: { environments: { production: {} } }
  octo-org/api: { environments: { production: {} } }
  acme/shop: { environments: { production: {} } }
`,
  'deploybot.yml',
);

const APP: GitHubCredential = {
  kind: 'app',
  id: 7,
  slug: 'deploybot',
  name: 'deploybot',
  permissions: { ...REQUIRED_GITHUB_PERMISSIONS },
  installUrl: 'https://github.com/apps/deploybot/installations/new',
  installationId: undefined,
};

const installation = (id: number, account: string): GitHubInstallation => ({
  id,
  account,
  permissions: { ...REQUIRED_GITHUB_PERMISSIONS },
  settingsUrl: `https://github.com/organizations/${account}/settings/installations/${id}`,
});

interface World {
  credential: GitHubCredential | DeploybotError;
  installations?: Record<string, GitHubInstallation | undefined>;
  /** `owner/name` → the reads GitHub refuses (403). */
  forbidden?: Record<string, RepositoryRead[]>;
  missing?: string[];
}

function fakeGitHub(world: World): GitHubCheckPort {
  return {
    credential: async () => {
      if (world.credential instanceof DeploybotError) throw world.credential;
      return world.credential;
    },
    installation: async (r) => world.installations?.[`${r.owner}/${r.repo}`],
    repository: async (r) => {
      if (world.missing?.includes(`${r.owner}/${r.repo}`)) {
        throw new DeploybotError('github_not_found', 'Not Found', {
          details: { repository: `${r.owner}/${r.repo}` },
        });
      }
      return { defaultBranch: 'main', private: true };
    },
    read: async (r, what) => {
      if (world.forbidden?.[`${r.owner}/${r.repo}`]?.includes(what)) {
        throw new DeploybotError('github_forbidden', 'Resource not accessible by personal access token');
      }
    },
  };
}

const texts = (lines: { ok: boolean; text: string }[]) =>
  lines.map((line) => `${line.ok ? '✓' : '✗'} ${line.text}`);

describe('checkGitHub', () => {
  it('passes a fine-grained token that reads everything', async () => {
    const lines = await checkGitHub(
      fakeGitHub({ credential: { kind: 'token', login: 'octobot', scopes: undefined } }),
      CONFIG,
    );
    expect(texts(lines)).toEqual([
      '✓ GitHub: GITHUB_TOKEN belongs to @octobot',
      '✓ octo-org/web: readable (default branch main), deployments, commits, statuses and checks too',
      '✓ octo-org/api: readable (default branch main), deployments, commits, statuses and checks too',
      '✓ acme/shop: readable (default branch main), deployments, commits, statuses and checks too',
    ]);
  });

  it('names what a token cannot see or read, and the permissions to grant', async () => {
    const lines = await checkGitHub(
      fakeGitHub({
        credential: { kind: 'token', login: 'octobot', scopes: undefined },
        missing: ['acme/shop'],
        forbidden: { 'octo-org/api': ['deployments', 'checks'] },
      }),
      CONFIG,
    );
    expect(lines.filter((line) => !line.ok)).toEqual([
      {
        ok: false,
        text: 'octo-org/api: readable, but the credential cannot read deployments, checks',
        fix: 'Grant GITHUB_TOKEN Deployments: read and write, Checks: read on octo-org/api',
      },
      {
        ok: false,
        text: expect.stringContaining('acme/shop: not readable: GitHub cannot find acme/shop (404)'),
        fix: expect.stringContaining('Give GITHUB_TOKEN access to acme/shop'),
      },
    ]);
  });

  it.each<[string[], boolean]>([
    [['repo', 'read:org'], true],
    [['repo_deployment', 'repo:status'], true],
    [['public_repo'], false],
    [[], false],
  ])('judges a classic token by its scopes: %j', async (scopes, ok) => {
    const lines = await checkGitHub(
      fakeGitHub({ credential: { kind: 'token', login: 'octobot', scopes } }),
      CONFIG,
    );
    expect(lines[1]).toMatchObject({ ok, text: expect.stringContaining('classic token') });
  });

  it('checks an App: its permissions, its installation on each owner, each repository', async () => {
    const lines = await checkGitHub(
      fakeGitHub({
        credential: { ...APP, permissions: { ...REQUIRED_GITHUB_PERMISSIONS, checks: 'none' } },
        installations: { 'octo-org/web': installation(42, 'octo-org'), 'octo-org/api': undefined },
      }),
      CONFIG,
    );
    expect(texts(lines)).toEqual([
      '✓ GitHub App deploybot (ID 7) signs in; deploybot acts as deploybot[bot]',
      '✗ GitHub App: it lacks Checks: read',
      "✗ GitHub App's installation on octo-org (42) lacks octo-org/api",
      '✗ GitHub App is not installed on acme',
      '✓ octo-org/web: readable (default branch main), deployments, commits, statuses and checks too',
    ]);
    expect(lines[2]?.fix).toBe(
      'Add them under Repository access at https://github.com/organizations/octo-org/settings/installations/42',
    );
    expect(lines[3]?.fix).toBe(
      'Install it at https://github.com/apps/deploybot/installations/new, on acme, with access to acme/shop',
    );
  });

  it('names an installation that has not accepted the permissions, and a GITHUB_APP_INSTALLATION_ID that is not its', async () => {
    const stale = {
      ...installation(42, 'octo-org'),
      permissions: { ...REQUIRED_GITHUB_PERMISSIONS, deployments: 'read' },
    };
    const lines = await checkGitHub(
      fakeGitHub({
        credential: { ...APP, installationId: 41 },
        installations: {
          'octo-org/web': stale,
          'octo-org/api': stale,
          'acme/shop': installation(43, 'acme'),
        },
      }),
      CONFIG,
    );
    expect(texts(lines.filter((line) => !line.ok))).toEqual([
      "✗ GitHub App's installation on octo-org (42) lacks Deployments: read and write",
      '✗ GITHUB_APP_INSTALLATION_ID is 41, but octo-org is on installation 42',
      '✗ GITHUB_APP_INSTALLATION_ID is 41, but acme is on installation 43',
    ]);
  });

  it('stops at a credential GitHub refuses', async () => {
    const refused = new DeploybotError('github_unauthorized', 'Bad credentials', {
      details: { repository: 'x' },
    });
    const lines = await checkGitHub(fakeGitHub({ credential: refused }), CONFIG);
    expect(lines).toEqual([
      {
        ok: false,
        text: expect.stringContaining("GitHub refuses deploybot's credential"),
        fix: expect.stringContaining('npm run setup'),
      },
    ]);
  });
});

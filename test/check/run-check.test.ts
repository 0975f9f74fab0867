import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run-check.js';
import { parseConfig } from '../../src/config/config-file.js';
import { parseSettings } from '../../src/config/settings.js';
import { createLogger } from '../../src/logger.js';
import { deriveSha } from '../../src/stand-ins/github-payloads.js';
import {
  type GitHubStandIn,
  type GitHubStandInOptions,
  startGitHubStandIn,
} from '../../src/stand-ins/github-stand-in.js';
import {
  type SlackStandIn,
  type SlackStandInOptions,
  startSlackStandIn,
} from '../../src/stand-ins/slack-stand-in.js';
import { SECRETS, standInEnv } from '../support/harness.js';

const CONFIG = `
slack: { channel: C0DEPLOYS }
repos:
  octo-org/web: { channel: C0WEB, environments: { production: {} } }
  acme/shop: { channel: G0SECRET, environments: { production: {} } }
`;

describe('npm run check, against the stand-ins', () => {
  let github: GitHubStandIn;
  let slack: SlackStandIn;
  afterEach(async () => {
    await github?.close();
    await slack?.close();
  });

  async function world(options: { github?: GitHubStandInOptions; slack?: SlackStandInOptions } = {}) {
    github = await startGitHubStandIn({ token: SECRETS.githubToken, ...options.github });
    for (const name of ['octo-org/web', 'acme/shop']) {
      github.addRepository(name, { private: true });
      github.setRef(name, 'main', deriveSha(name));
    }
    slack = await startSlackStandIn({
      botToken: SECRETS.slackBotToken,
      channels: ['C0DEPLOYS', 'C0WEB', 'G0SECRET'],
      privateChannels: ['G0SECRET'],
      ...options.slack,
    });
  }

  const check = (env: Record<string, string>) => {
    const settings = parseSettings(
      {
        ...standInEnv(github, slack),
        ...env,
      },
      '/srv/deploybot',
    );
    return runCheck({
      settings,
      config: parseConfig(CONFIG, 'deploybot.yml'),
      fetch: globalThis.fetch,
      clock: { now: () => Date.now() },
      logger: createLogger({ level: 'silent' }),
    });
  };

  it('says everything holds, line by line, when it does', async () => {
    await world();
    const result = await check({});
    expect(result.report.split('\n')).toEqual([
      'Slack',
      '  ✓ Slack: signed in as @deploybot (UDEPLOYBOT) in Deploybot Test',
      '  ✓ Slack: the bot token has every scope deploybot needs',
      '  ✓ Slack channel #deploys (C0DEPLOYS): deploybot is a member',
      '  ✓ Slack channel #web (C0WEB): deploybot is a member',
      '  ✓ Slack channel #g0secret (G0SECRET): deploybot is a member',
      'GitHub',
      '  ✓ GitHub: GITHUB_TOKEN belongs to @deploybot[bot]',
      '  ✓ octo-org/web: readable (default branch main), deployments, commits, statuses and checks too',
      '  ✓ acme/shop: readable (default branch main), deployments, commits, statuses and checks too',
      'Everything deploybot needs holds.',
    ]);
    expect(result.ok).toBe(true);
    expect(github.schemaErrors).toEqual([]);
  });

  it('names what is wrong with Slack and a token, each with its fix', async () => {
    await world({
      github: { tokenScopes: ['public_repo'], tokenPermissions: { deployments: 'none' } },
      slack: { scopes: ['commands', 'chat:write'], notMemberOf: ['C0WEB', 'G0SECRET'] },
    });
    const result = await check({});
    expect(result.ok).toBe(false);
    const failed = result.report.split('\n').filter((line) => line.includes('✗'));
    expect(failed).toEqual([
      expect.stringMatching(
        /^ {2}✗ Slack: the bot token lacks chat:write.public, app_mentions:read, .* → Add them under OAuth/,
      ),
      expect.stringContaining(
        '✗ Slack channel #web (C0WEB): deploybot is not a member and cannot post there → In Slack, invite @deploybot there',
      ),
      expect.stringContaining(
        '✗ Slack channel G0SECRET (repos."acme/shop".channel) is not found → It does not exist, or it is private',
      ),
      expect.stringContaining('✗ GitHub: the classic token lacks the repo scope (it has public_repo)'),
      '  ✗ octo-org/web: readable, but the credential cannot read deployments → Grant GITHUB_TOKEN Deployments: read and write on octo-org/web',
      '  ✗ acme/shop: readable, but the credential cannot read deployments → Grant GITHUB_TOKEN Deployments: read and write on acme/shop',
    ]);
    expect(result.report).toContain('6 things to fix before deploybot works as configured.');
  });

  it('checks a GitHub App on each owner and names the install page of one it is not on', async () => {
    await world();
    const app = github.createApp({ slug: 'deploybot-octo' });
    github.installApp(app.id, 'octo-org');
    const result = await check({
      GITHUB_TOKEN: '',
      GITHUB_APP_ID: String(app.id),
      GITHUB_APP_PRIVATE_KEY: app.privateKey,
    });
    const githubLines = result.report.split('\n').slice(result.report.split('\n').indexOf('GitHub'));
    expect(githubLines).toEqual([
      'GitHub',
      `  ✓ GitHub App deploybot-octo (ID ${app.id}) signs in; deploybot acts as deploybot-octo[bot]`,
      '  ✓ GitHub App: it has every permission deploybot needs',
      expect.stringMatching(/^ {2}✓ GitHub App is installed on octo-org \(installation \d+\)$/),
      `  ✗ GitHub App is not installed on acme → Install it at ${github.url}/apps/deploybot-octo/installations/new, on acme, with access to acme/shop`,
      '  ✓ octo-org/web: readable (default branch main), deployments, commits, statuses and checks too',
      '1 thing to fix before deploybot works as configured.',
    ]);
    expect(result.ok).toBe(false);

    github.installApp(app.id, 'acme', { permissions: { metadata: 'read', contents: 'read' } });
    const again = await check({
      GITHUB_TOKEN: '',
      GITHUB_APP_ID: String(app.id),
      GITHUB_APP_PRIVATE_KEY: app.privateKey,
    });
    expect(again.report).toContain("✗ GitHub App's installation on acme");
    expect(again.report).toContain(
      'lacks Deployments: read and write, Commit statuses: read, Checks: read, Pull requests: read',
    );
    expect(again.report).toContain(
      '✗ acme/shop: readable, but the credential cannot read deployments, statuses, checks',
    );
    expect(github.schemaErrors).toEqual([]);
  });

  it('builds the install page on GitHub Enterprise Server from GITHUB_API_URL', async () => {
    await world({ github: { enterprise: true } });
    const app = github.createApp();
    const result = await check({
      GITHUB_TOKEN: '',
      GITHUB_APP_ID: String(app.id),
      GITHUB_APP_PRIVATE_KEY: app.privateKey,
    });
    expect(result.report).toContain(
      `Install it at ${github.webUrl}/apps/deploybot/installations/new, on octo-org`,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config-file.js';
import { type Problem, problemsOf } from '../../src/config/format-problems.js';
import { isDeploybotError } from '../../src/core/errors.js';
import { configWith, type Patch, type Raw } from '../support/config-patch.js';

function failureOf(text: string): { message: string; problems: readonly Problem[] } {
  try {
    parseConfig(text, 'deploybot.yml');
  } catch (error) {
    if (isDeploybotError(error) && error.code === 'config_invalid') {
      return { message: error.message, problems: problemsOf(error) };
    }
    throw error;
  }
  throw new Error('expected a config_invalid error');
}

const R = 'repos."octo-org/web"';
const E = `${R}.environments.staging`;
const P = `${E}.provider`;
const script = (extra: Raw): Patch => ({
  staging: { provider: { type: 'script', command: ['x'], ...extra } },
});
const http = (extra: Raw): Patch => ({ staging: { provider: { type: 'http', url: 'http://x', ...extra } } });
const env = { staging: {} };

describe('parseConfig problems', () => {
  it.each<[string, string, Patch]>([
    ['slack', 'is required', { root: { slack: undefined } }],
    ['slack.channel', 'is a channel name, not a channel ID', { root: { slack: { channel: '#deploys' } } }],
    ['slack.channel', 'is not a Slack channel ID', { root: { slack: { channel: 'D0DIRECT' } } }],
    ['slack.token', 'is not a known key', { root: { slack: { channel: 'C0A', token: 'x' } } }],
    ['github.owner', 'not a GitHub user or organization name', { root: { github: { owner: 'octo org' } } }],
    ['users.octocat', 'is a user name, not a Slack user ID', { root: { users: { octocat: 'octocat' } } }],
    ['users.U012ABC', 'is not a GitHub login', { root: { users: { U012ABC: '@octocat' } } }],
    ['repos', 'is required', { root: { repos: undefined } }],
    ['repos', 'must list at least one repository', { root: { repos: {} } }],
    ['repos.web', 'is not a repository "owner/name"', { root: { repos: { web: { environments: env } } } }],
    [
      'repos."octo-org/.."',
      'is not a repository "owner/name"',
      { root: { repos: { 'octo-org/..': { environments: env } } } },
    ],
    [
      'repos."OCTO-ORG/WEB"',
      'is the same repository as "octo-org/web"',
      { root: { repos: { 'octo-org/web': { environments: env }, 'OCTO-ORG/WEB': { environments: env } } } },
    ],
    [`${R}.chanel`, 'is not a known key', { repo: { chanel: 'C0WEB' } }],
    [`${R}.channel`, 'channel name, not a channel ID', { repo: { channel: 'web-deploys' } }],
    [`${R}.environments`, 'is required', { repo: { environments: undefined } }],
    [`${R}.environments`, 'must list at least one environment', { repo: { environments: {} } }],
    [
      `${R}.environments."pre prod"`,
      'is not a valid environment name',
      { repo: { environments: { 'pre prod': {} } } },
    ],
    [
      `${R}.environments.Staging`,
      'has the same name as environment "staging"',
      { repo: { environments: { staging: {}, Staging: {} } } },
    ],
    [`${R}.clone_url`, 'is not a clone URL', { repo: { clone_url: '--upload-pack=touch /tmp/x' } }],
    [`${R}.clone_url`, 'is not a clone URL', { repo: { clone_url: 'ext::sh -c touch% /tmp/x' } }],
    [
      `${R}.default_environment`,
      '"qa" is not an environment of this repository',
      { repo: { default_environment: 'qa' } },
    ],
    [`${R}.aliases[0]`, 'is not a valid repository alias', { repo: { aliases: ['web/site'] } }],
    [
      `${E}.aliases[1]`,
      'already a name or alias of environment "production"',
      { staging: { aliases: ['stg', 'production'] } },
    ],
    [
      `${R}.environments.production.aliases[0]`,
      'already a name or alias of environment "staging"',
      { staging: { aliases: ['live'] }, production: { aliases: ['LIVE'] } },
    ],
    [`${E}.deploy_on_merge`, 'is not a valid branch name', { staging: { deploy_on_merge: 'feature..x' } }],
    [`${E}.deploy_on_merge`, 'is not a valid branch name', { staging: { deploy_on_merge: '-main' } }],
    [`${E}.deploy_on_merge`, 'is not a valid branch name', { staging: { deploy_on_merge: 'main.lock' } }],
    [`${E}.deploy_on_merge`, 'is not a valid branch name', { staging: { deploy_on_merge: 'my branch' } }],
    [
      `${E}.deploy_on_merge`,
      'expected a string, got 2024 (put it in quotes)',
      { staging: { deploy_on_merge: 2024 } },
    ],
    [`${E}.deployOnMerge`, 'is not a known key', { staging: { deployOnMerge: 'main' } }],
    [`${E}.url`, 'is not an http:// or https:// URL', { staging: { url: 'staging.example.com' } }],
    [`${E}.required_contexts`, 'expected a list', { staging: { required_contexts: 'ci/build' } }],
    [`${E}.production`, 'expected true or false, got "yes"', { staging: { production: 'yes' } }],
    [`${E}.deployers[1]`, 'is a name, not a Slack ID', { staging: { deployers: ['U012ABC', '@alice'] } }],
    [`${E}.admins[0]`, 'not a Slack user ID or user group ID', { staging: { admins: ['C0CHANNEL'] } }],
    [`${E}.approvals`, 'expected a whole number from 0 to 5', { staging: { approvals: 6 } }],
    [`${E}.approvals`, 'expected a whole number from 0 to 5', { staging: { approvals: 1.5 } }],
    [
      `${P}.type`,
      'expected one of "script", "http", "external", got "ansible"',
      { staging: { provider: { type: 'ansible' } } },
    ],
    [`${P}.type`, 'is required', { staging: { provider: {} } }],
    [`${P}.command`, 'is required', { staging: { provider: { type: 'script' } } }],
    [`${P}.command`, 'must name the command to run', script({ command: [] })],
    [`${P}.command[1]`, 'must not be empty', script({ command: ['./deploy', ''] })],
    [`${P}.command`, 'without a shell', script({ command: './deploy staging' })],
    [`${P}.timeout`, 'expected a positive number', script({ timeout: 0 })],
    [`${P}.timeout`, 'expected a positive number, got "15m"', script({ timeout: '15m' })],
    [`${P}.env."MY-VAR"`, 'is not a valid environment variable name', script({ env: { 'MY-VAR': 'x' } })],
    [`${P}.env.DEPLOY_ID`, 'set by the deployer itself', script({ env: { DEPLOY_ID: 'x' } })],
    [`${P}.env.DEPLOY_ENV`, 'set by the deployer itself', script({ env: { DEPLOY_ENV: 'x' } })],
    [`${P}.env.PATH`, 'set by the deployer itself', script({ env: { PATH: '/bin' } })],
    [`${P}.env.HOME`, 'set by the deployer itself', script({ env: { HOME: '/root' } })],
    [`${P}.env.BRANCH`, 'set by the deployer itself', script({ env: { BRANCH: 'x' } })],
    [`${P}.env.SHA`, 'set by the deployer itself', script({ env: { SHA: 'x' } })],
    [`${P}.env.DEPLOY_PAYLOAD`, 'set by the deployer itself', script({ env: { DEPLOY_PAYLOAD: 'x' } })],
    [`${P}.env.deploy_log_url`, 'set by the deployer itself', script({ env: { deploy_log_url: 'x' } })],
    [`${E}.trusted_creators[0]`, 'is not a GitHub login', { staging: { trusted_creators: ['@octocat'] } }],
    [
      `${E}.trusted_creators[0]`,
      'is not a GitHub login',
      { staging: { trusted_creators: ['bot[bot][bot]'] } },
    ],
    [`${E}.trusted_creators`, 'expected', { staging: { trusted_creators: 'octocat' } }],
    [`${P}.timeout_seconds`, 'is not a known key', script({ timeout_seconds: 5 })],
    [`${P}.url`, 'is not an http:// or https:// URL', http({ url: 'ftp://x' })],
    [`${P}.timeout`, 'expected a positive number', http({ timeout: -1 })],
    [`${P}.headers."X Bad"`, 'not a valid HTTP header name', http({ headers: { 'X Bad': 'v' } })],
    [`${P}.command`, 'is not a known key', http({ command: ['x'] })],
    [`${P}.url`, 'is not a known key', { staging: { provider: { type: 'external', url: 'http://x' } } }],
  ])('names %s: %s', (where, message, patch) => {
    expect(failureOf(configWith(patch)).problems).toEqual([
      expect.objectContaining({ source: 'deploybot.yml', where, message: expect.stringContaining(message) }),
    ]);
  });

  it.each<[string, Raw, string, string]>([
    [
      'an alias used twice',
      { 'octo-org/web': { aliases: ['site'] }, 'octo-org/api': { aliases: ['site'] } },
      'repos."octo-org/api".aliases[0]',
      'is also an alias of repository "octo-org/web"',
    ],
    [
      'an alias that is another repository',
      { 'octo-org/web': { aliases: ['api'] }, 'octo-org/api': {} },
      'repos."octo-org/web".aliases[0]',
      'is also the name of repository "octo-org/api"',
    ],
  ])('rejects ambiguous repository names: %s', (_name, repos, where, message) => {
    const withEnvironments = Object.fromEntries(
      Object.entries(repos).map(([key, repo]) => [key, { ...(repo as Raw), environments: env }]),
    );
    expect(failureOf(configWith({ root: { repos: withEnvironments } })).problems).toEqual([
      expect.objectContaining({ where, message: expect.stringContaining(message) }),
    ]);
  });

  it('allows two owners to have repositories with the same name', () => {
    const repos = { 'octo-org/web': { environments: env }, 'other-org/web': { environments: env } };
    expect(parseConfig(configWith({ root: { repos } }), 'x').repos.map((repo) => repo.fullName)).toEqual([
      'octo-org/web',
      'other-org/web',
    ]);
  });

  it('reports every problem at once, in file order, with lines', () => {
    const { message, problems } = failureOf(
      configWith({
        root: { slack: { channel: '#deploys' } },
        staging: { aliases: ['production'] },
        production: { provider: { type: 'script', command: ['x'], timeout: -1 } },
        repo: { default_environment: 'qa' },
      }),
    );
    expect(problems.map((problem) => problem.where)).toEqual([
      'slack.channel',
      `${E}.aliases[0]`,
      `${R}.environments.production.provider.timeout`,
      `${R}.default_environment`,
    ]);
    expect(problems.every((problem) => typeof problem.line === 'number')).toBe(true);
    expect(message.split('\n')[0]).toBe('deploybot cannot start: 4 problems with its settings and config:');
    expect(message).toContain(
      '\n- deploybot.yml:2 slack.channel: "#deploys" is a channel name, not a channel ID. Use the ID from the channel details',
    );
    expect(message).toContain(`${R}.environments.production.provider.timeout: expected a positive number.`);
  });

  it.each<[Patch, string]>([
    [{ staging: { deploy_on_merged: 'main' } }, 'Did you mean "deploy_on_merge"?'],
    [{ staging: { Approvals: 1 } }, 'Did you mean "approvals"?'],
    [{ repo: { cloneUrl: '/srv/web.git' } }, 'Did you mean "clone_url"?'],
    [
      script({ timeout_seconds: 5 }),
      'Remove it; the keys allowed here are type, command, checkout, timeout, env',
    ],
  ])('hints at the key meant: %o', (patch, fix) => {
    expect(failureOf(configWith(patch)).problems[0]?.fix).toBe(fix);
  });
});

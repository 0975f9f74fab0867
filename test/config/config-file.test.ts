import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/config-file.js';
import { type Problem, problemsOf } from '../../src/config/format-problems.js';
import type { Config, EnvironmentConfig } from '../../src/core/config.js';
import { isDeploybotError } from '../../src/core/errors.js';
import { configWith, type Patch, type Raw } from '../support/config-patch.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'deploybot.example.yml');
const readText = (path: string) => readFile(path, 'utf8');

function problemsIn(text: string): readonly Problem[] {
  try {
    parseConfig(text, 'deploybot.yml');
  } catch (error) {
    if (isDeploybotError(error) && error.code === 'config_invalid') return problemsOf(error);
    throw error;
  }
  throw new Error('expected a config_invalid error');
}

const stagingOf = (config: Config): EnvironmentConfig | undefined => config.repos[0]?.environments[0];

describe('parseConfig', () => {
  it('normalizes a minimal config, filling in every default', () => {
    const defaults = {
      aliases: [],
      admins: [],
      approvals: 0,
      trustedCreators: [],
      provider: { type: 'external' },
      freeze: [],
      stuckAfterMs: 30 * 60_000,
    } as const;
    expect(parseConfig(configWith(), 'deploybot.yml')).toEqual<Config>({
      slack: { channel: 'C0DEPLOYS' },
      github: {},
      users: {},
      repos: [
        {
          fullName: 'octo-org/web',
          owner: 'octo-org',
          name: 'web',
          aliases: [],
          defaultEnvironment: 'staging',
          environments: [
            { name: 'staging', production: false, confirm: false, ...defaults },
            { name: 'production', production: true, confirm: true, ...defaults },
          ],
        },
      ],
    });
  });

  it('accepts keys written with nothing after them', () => {
    const text =
      'slack: { channel: C0DEPLOYS }\nusers:\nrepos:\n  octo-org/web:\n    environments:\n      staging:\n';
    expect(parseConfig(text, 'deploybot.yml').repos[0]?.environments[0]?.name).toBe('staging');
  });

  it.each<[string, Raw, Partial<EnvironmentConfig>]>([
    [
      'script defaults',
      { provider: { type: 'script', command: ['./deploy'] } },
      { provider: { type: 'script', command: ['./deploy'], checkout: true, timeoutSeconds: 1800, env: {} } },
    ],
    [
      'http defaults',
      { provider: { type: 'http', url: 'https://h.example' } },
      { provider: { type: 'http', url: 'https://h.example', headers: {}, timeoutSeconds: 1800 } },
    ],
    [
      'a fractional timeout',
      { provider: { type: 'http', url: 'http://h', timeout: 0.5 } },
      { provider: expect.objectContaining({ timeoutSeconds: 0.5 }) },
    ],
    [
      'env values YAML reads as numbers',
      { provider: { type: 'script', command: ['x'], env: { PORT: 8080, DEBUG: true } } },
      { provider: expect.objectContaining({ env: { PORT: '8080', DEBUG: 'true' } }) },
    ],
    ['confirm following production', { production: true }, { production: true, confirm: true }],
    ['an explicit confirm', { production: true, confirm: false }, { production: true, confirm: false }],
    ['required_contexts [] kept, not dropped', { required_contexts: [] }, { requiredContexts: [] }],
    [
      'deployers, admins and approvals',
      { deployers: ['U012ABC', 'W0ENT', 'S0GROUP'], admins: ['U012ABC'], approvals: 2 },
      { deployers: ['U012ABC', 'W0ENT', 'S0GROUP'], admins: ['U012ABC'], approvals: 2 },
    ],
    [
      'deploy_on_merge, url and aliases',
      { deploy_on_merge: 'release/v2', url: 'https://stg.example.com', aliases: ['stg'] },
      { deployOnMerge: 'release/v2', url: 'https://stg.example.com', aliases: ['stg'] },
    ],
  ])('normalizes %s', (_name, staging, expected) => {
    expect(stagingOf(parseConfig(configWith({ staging }), 'deploybot.yml'))).toMatchObject(expected);
  });

  it.each<[string, keyof EnvironmentConfig]>([
    ['every commit status must pass', 'requiredContexts'],
    ['anyone may deploy', 'deployers'],
    ['no merge deploys', 'deployOnMerge'],
  ])('leaves out what was left out: %s', (_name, key) => {
    expect(stagingOf(parseConfig(configWith(), 'deploybot.yml'))).not.toHaveProperty(key);
  });

  it('turns production off for an environment named production, which still asks for confirmation', () => {
    const config = parseConfig(configWith({ production: { production: false } }), 'deploybot.yml');
    expect(config.repos[0]?.environments[1]).toMatchObject({ production: false, confirm: true });
    const optedOut = parseConfig(configWith({ production: { confirm: false } }), 'deploybot.yml');
    expect(optedOut.repos[0]?.environments[1]).toMatchObject({ production: true, confirm: false });
  });

  it.each<[string, Patch, Partial<Config['repos'][number]>]>([
    [
      'default_environment by alias, in any case',
      { repo: { default_environment: 'PROD' }, production: { aliases: ['prod'] } },
      { defaultEnvironment: 'production' },
    ],
    [
      'repository key as written',
      { root: { repos: { 'Octo-Org/Web': { environments: { staging: {} } } } } },
      { fullName: 'Octo-Org/Web', owner: 'Octo-Org', name: 'Web' },
    ],
    [
      'an scp-like clone_url',
      { repo: { clone_url: 'git@github.com:octo-org/web.git' } },
      { cloneUrl: 'git@github.com:octo-org/web.git' },
    ],
    [
      'a file:// clone_url',
      { repo: { clone_url: 'file:///srv/git/web.git' } },
      { cloneUrl: 'file:///srv/git/web.git' },
    ],
    [
      'a private channel',
      { repo: { channel: 'G0PRIVATE', aliases: ['site'] } },
      { channel: 'G0PRIVATE', aliases: ['site'] },
    ],
  ])('normalizes %s', (_name, patch, expected) => {
    expect(parseConfig(configWith(patch), 'deploybot.yml').repos[0]).toMatchObject(expected);
  });

  it('reads github.owner and users', () => {
    const config = parseConfig(
      configWith({ root: { github: { owner: 'octo-org' }, users: { U012ABC: 'octocat' } } }),
      'x',
    );
    expect(config).toMatchObject({ github: { owner: 'octo-org' }, users: { U012ABC: 'octocat' } });
  });

  it('lets environments share settings through YAML merge keys', () => {
    const text = [
      'slack: { channel: C0DEPLOYS }',
      'repos:',
      '  octo-org/web:',
      '    environments:',
      '      staging: &base { deployers: [U012ABC], approvals: 1 }',
      '      production: { <<: *base, approvals: 2 }',
    ].join('\n');
    const production = parseConfig(text, 'deploybot.yml').repos[0]?.environments[1];
    expect(production).toMatchObject({ deployers: ['U012ABC'], approvals: 2 });
  });

  it.each<[string, string, Partial<Problem>]>([
    [
      'a syntax error',
      'slack:\n  channel: [C0DEPLOYS\nrepos: {}\n',
      { line: 3, column: 1, message: expect.stringContaining('YAML syntax error') },
    ],
    [
      'a duplicate key',
      'slack: { channel: C0A }\nslack: { channel: C0B }\n',
      { line: 2, column: 1, message: expect.stringContaining('unique') },
    ],
    [
      'an empty file',
      '# nothing yet\n',
      {
        where: '',
        message: 'is empty',
        fix: expect.stringContaining('cp deploybot.example.yml deploybot.yml'),
      },
    ],
    ['a list at the top', '- slack\n', { where: '', message: 'expected a mapping (key: value), got a list' }],
  ])('reports %s with where it is', (_name, text, expected) => {
    expect(problemsIn(text)[0]).toMatchObject({ source: 'deploybot.yml', ...expected });
  });

  it('formats a syntax error with its line and column', () => {
    expect(() => parseConfig('slack: [\n', 'deploybot.yml')).toThrow(
      /^- deploybot\.yml:\d+:\d+: YAML syntax error/m,
    );
  });
});

describe('loadConfig', () => {
  it('parses deploybot.example.yml, which uses every key', async () => {
    const config = await loadConfig(EXAMPLE, readText);
    expect(config.slack.channel).toBe('C0DEPLOYS');
    expect(config.github.owner).toBe('octo-org');
    expect(config.users).toMatchObject({ U012ABC: 'octocat' });
    expect(config.repos.map((repo) => repo.fullName)).toEqual(['octo-org/web', 'octo-org/api']);
    const [web, api] = config.repos;
    expect(web).toMatchObject({ channel: 'C0WEB', aliases: ['website'], cloneUrl: '/srv/git/web.git' });
    expect(web?.defaultEnvironment).toBe('staging');
    expect(web?.environments.map((env) => [env.name, env.production, env.confirm])).toEqual([
      ['staging', false, false],
      ['production', true, true],
    ]);
    expect(web?.environments[0]).toMatchObject({
      aliases: ['stg'],
      deployOnMerge: 'main',
      requiredContexts: ['ci/build'],
      deployers: ['U012ABC', 'S0GROUP'],
      provider: {
        type: 'script',
        command: ['./script/deploy', 'staging'],
        checkout: true,
        timeoutSeconds: 900,
        env: { REGION: 'eu' },
      },
    });
    expect(api?.environments.map((env) => env.provider.type)).toEqual(['http', 'external']);
    expect(api?.environments[0]?.provider).toMatchObject({ timeoutSeconds: 60 });
    expect(api?.environments[0]?.requiredContexts).toEqual([]);
  });

  it('tells how to create a missing file', async () => {
    const path = join(tmpdir(), 'deploybot-no-such-dir', 'deploybot.yml');
    const error = await loadConfig(path, readText).catch((caught: unknown) => caught);
    expect(isDeploybotError(error) && error.code).toBe('config_invalid');
    expect((error as Error).message).toContain(`- ${path}: does not exist.`);
    expect((error as Error).message).toContain('create it: cp deploybot.example.yml deploybot.yml');
  });

  it('reports a file it cannot read', async () => {
    const error = await loadConfig(tmpdir(), readText).catch((caught: unknown) => caught);
    expect(problemsOf(error)).toEqual([
      expect.objectContaining({ source: tmpdir(), message: expect.stringContaining('cannot be read') }),
    ]);
  });
});

describe('trusted_creators and provider env names', () => {
  it('reads trusted_creators as written, apps as name[bot], and lets env use names deploybot does not set', () => {
    const config = parseConfig(
      JSON.stringify({
        slack: { channel: 'C0DEPLOYS' },
        repos: {
          'octo-org/web': {
            environments: {
              staging: {
                trusted_creators: ['github-actions[bot]', 'Release-Bot'],
                provider: {
                  type: 'script',
                  command: ['./deploy'],
                  env: { DEPLOY_REGION: 'eu', DEPLOYMENT: 'x' },
                },
              },
              production: {},
            },
          },
        },
      }),
      'deploybot.yml',
    );
    const [staging, production] = config.repos[0]?.environments ?? [];
    expect(staging?.trustedCreators).toEqual(['github-actions[bot]', 'Release-Bot']);
    expect(staging?.provider).toMatchObject({ env: { DEPLOY_REGION: 'eu', DEPLOYMENT: 'x' } });
    expect(production?.trustedCreators).toEqual([]);
  });
});

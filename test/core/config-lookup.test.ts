import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config-file.js';
import type { Config } from '../../src/core/config.js';
import {
  channelFor,
  environmentsDeployedOnMerge,
  findEnvironment,
  findRepo,
} from '../../src/core/config-lookup.js';

const YAML = `
slack: { channel: C0DEPLOYS }
github: { owner: octo-org }
repos:
  octo-org/web:
    channel: C0WEB
    aliases: [website]
    environments:
      staging: { aliases: [stg], deploy_on_merge: main }
      preview: { deploy_on_merge: main }
      production: { aliases: [prod, live], deploy_on_merge: release }
  octo-org/API:
    environments:
      production: {}
  other-org/tools:
    aliases: [tooling]
    environments:
      staging: {}
`;

const config: Config = parseConfig(YAML, 'deploybot.yml');
const noOwner: Config = { ...config, github: {} };
const repo = (fullName: string) => config.repos.find((r) => r.fullName === fullName)!;

describe('findRepo', () => {
  it.each<[string, Config, string, string | undefined]>([
    ['full name', config, 'octo-org/web', 'octo-org/web'],
    ['full name in another case', config, 'Octo-Org/WEB', 'octo-org/web'],
    ['full name as written in the config', config, 'octo-org/api', 'octo-org/API'],
    ['bare name under github.owner', config, 'web', 'octo-org/web'],
    ['bare name in another case', config, 'Api', 'octo-org/API'],
    ['bare name of another owner', config, 'tools', undefined],
    ['alias', config, 'website', 'octo-org/web'],
    ['alias in another case', config, 'TOOLING', 'other-org/tools'],
    ['surrounding spaces', config, '  web ', 'octo-org/web'],
    ['bare name without github.owner', noOwner, 'web', undefined],
    ['alias without github.owner', noOwner, 'website', 'octo-org/web'],
    ['full name of another owner', config, 'other-org/web', undefined],
    ['unknown', config, 'nope', undefined],
    ['empty', config, '', undefined],
  ])('%s', (_name, cfg, input, expected) => {
    expect(findRepo(cfg, input)?.fullName).toBe(expected);
  });
});

describe('findEnvironment', () => {
  it.each<[string, string | undefined]>([
    ['staging', 'staging'],
    ['STAGING', 'staging'],
    ['stg', 'staging'],
    ['Prod', 'production'],
    ['live', 'production'],
    ['qa', undefined],
  ])('%s → %s', (input, expected) => {
    expect(findEnvironment(repo('octo-org/web'), input)?.name).toBe(expected);
  });
});

describe('environmentsDeployedOnMerge', () => {
  it.each<[string, string[]]>([
    ['main', ['staging', 'preview']],
    ['refs/heads/main', ['staging', 'preview']],
    ['release', ['production']],
    ['Main', []],
    ['develop', []],
  ])('%s → %o', (branch, expected) => {
    expect(environmentsDeployedOnMerge(repo('octo-org/web'), branch).map((env) => env.name)).toEqual(
      expected,
    );
  });
});

describe('channelFor', () => {
  it.each<[string | undefined, string]>([
    ['octo-org/web', 'C0WEB'],
    ['OCTO-ORG/WEB', 'C0WEB'],
    ['octo-org/API', 'C0DEPLOYS'],
    ['someone/else', 'C0DEPLOYS'],
    [undefined, 'C0DEPLOYS'],
  ])('%s → %s', (fullName, expected) => {
    expect(channelFor(config, fullName)).toBe(expected);
  });
});

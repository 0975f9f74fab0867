import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config-file.js';
import { parseSettings } from '../../src/config/settings.js';
import { buildHttpDeployBody, buildScriptEnv, type DeployFacts } from '../../src/core/deploy-env.js';
import { checkDeployTarget, decideIntake, type IncomingDeployment } from '../../src/core/deploy-intake.js';
import {
  buildGitEnv,
  gitAuthorizationHeader,
  resolveFetchUrl,
  sendsGitHubToken,
} from '../../src/deployer/checkout.js';
import { listBotSecrets } from '../../src/deployer/wire.js';
import { githubWebUrlFromApi } from '../../src/github/urls.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';

const config = parseConfig(
  JSON.stringify({
    slack: { channel: 'C0DEPLOYS' },
    repos: {
      'octo-org/web': {
        environments: {
          staging: { aliases: ['stg'], provider: { type: 'script', command: ['./deploy'] } },
          production: { provider: { type: 'external' } },
        },
      },
      'octo-org/api': {
        clone_url: './repos/api.git',
        environments: { staging: { provider: { type: 'http', url: 'https://deploy.example.com' } } },
      },
    },
  }),
  'deploybot.yml',
);

describe('decideIntake', () => {
  const deployment = (overrides: Partial<IncomingDeployment>): IncomingDeployment => ({
    repository: 'octo-org/web',
    id: 1,
    sha: SHA,
    ref: 'main',
    environment: 'staging',
    ...overrides,
  });

  it.each<[string, Partial<IncomingDeployment>, string, string?]>([
    ['a configured script environment', {}, 'run'],
    ['any case of the names', { repository: 'Octo-Org/Web', environment: 'Staging' }, 'run'],
    // Aliases are for people in chat; a deployment names the environment itself.
    ['an alias', { environment: 'stg' }, 'ignore'],
    ['an alias in another case', { environment: 'STG' }, 'ignore'],
    ['an http environment', { repository: 'octo-org/api' }, 'run'],
    ['an unknown repository', { repository: 'octo-org/other' }, 'ignore'],
    ['a repository by a bare name', { repository: 'web' }, 'ignore'],
    ['an unknown environment', { environment: 'qa' }, 'ignore'],
    ['a hostile environment', { environment: '--upload-pack=x' }, 'ignore'],
    ['an external environment', { environment: 'production' }, 'ignore'],
    ['an option as ref', { ref: '--upload-pack=x' }, 'refuse', 'invalid_ref'],
    ['a short sha', { sha: 'abc1234' }, 'refuse', 'invalid_ref'],
    ['an environment that only matches once trimmed', { environment: ' staging ' }, 'refuse', 'invalid_name'],
  ])('%s → %s', (_what, overrides, kind, code) => {
    const intake = decideIntake(config, deployment(overrides));
    expect(intake.kind).toBe(kind);
    if (intake.kind !== 'ignore') {
      expect(intake.lane).toBe(`${intake.repo.fullName}:${intake.environment.name}`);
      expect(intake.error?.code).toBe(code);
    }
  });
});

describe('checkDeployTarget', () => {
  const target = { repository: 'octo-org/web', environment: 'staging', ref: 'main', sha: SHA };
  it.each([
    [{}, undefined],
    [{ ref: 'refs/heads/feature/x' }, undefined],
    [{ ref: SHA }, undefined],
    [{ ref: 'v1.2.3' }, undefined],
    [{ ref: '-x' }, 'invalid_ref'],
    [{ ref: 'a..b' }, 'invalid_ref'],
    [{ ref: 'main\n' }, 'invalid_ref'],
    [{ ref: 'a b' }, 'invalid_ref'],
    [{ ref: '' }, 'invalid_ref'],
    [{ sha: SHA.toUpperCase() }, undefined],
    [{ sha: `${SHA}0` }, 'invalid_ref'],
    [{ sha: 'HEAD' }, 'invalid_ref'],
    [{ sha: `-${SHA.slice(1)}` }, 'invalid_ref'],
    [{ repository: 'octo-org/..' }, 'invalid_name'],
    [{ repository: '../etc' }, 'invalid_name'],
    [{ repository: 'octo-org/web --x' }, 'invalid_name'],
    [{ environment: '../prod' }, 'invalid_name'],
    [{ environment: '-x' }, 'invalid_name'],
  ])('%j → %s', (overrides, code) => {
    expect(checkDeployTarget({ ...target, ...overrides })?.code).toBe(code);
  });
});

describe('what a deploy is told', () => {
  const facts: DeployFacts = {
    id: 1001,
    repository: 'octo-org/web',
    ref: 'main',
    sha: SHA,
    environment: 'staging',
    task: 'deploy',
    user: 'alice',
    payload: { notify: { channel: 'C0WEB' } },
    logUrl: 'https://deploybot.example.com/deploys/1001/t',
  };

  it('gives a script exactly the documented variables, which its env cannot override', () => {
    const env = buildScriptEnv(
      facts,
      { path: '/usr/bin', home: '/home/deploy' },
      { REGION: 'eu', SHA: 'spoofed' },
    );
    expect(env).toEqual({
      REGION: 'eu',
      PATH: '/usr/bin',
      HOME: '/home/deploy',
      DEPLOY_ID: '1001',
      DEPLOY_REPO: 'octo-org/web',
      DEPLOY_REF: 'main',
      DEPLOY_SHA: SHA,
      DEPLOY_ENVIRONMENT: 'staging',
      DEPLOY_TASK: 'deploy',
      DEPLOY_USER: 'alice',
      DEPLOY_PAYLOAD: '{"notify":{"channel":"C0WEB"}}',
      DEPLOY_LOG_URL: 'https://deploybot.example.com/deploys/1001/t',
      BRANCH: 'main',
      SHA,
      DEPLOY_ENV: 'staging',
    });
  });

  it('POSTs the same facts to an http provider', () => {
    expect(buildHttpDeployBody(facts)).toEqual({
      id: 1001,
      repository: 'octo-org/web',
      ref: 'main',
      sha: SHA,
      environment: 'staging',
      task: 'deploy',
      user: 'alice',
      payload: { notify: { channel: 'C0WEB' } },
      log_url: 'https://deploybot.example.com/deploys/1001/t',
    });
  });
});

describe('git access', () => {
  it.each([
    ['https://api.github.com', 'https://github.com'],
    ['https://ghe.example.com/api/v3', 'https://ghe.example.com'],
    ['https://ghe.example.com/api/v3/', 'https://ghe.example.com'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
  ])('the web URL of %s is %s', (api, web) => {
    expect(githubWebUrlFromApi(api)).toBe(web);
  });

  it('passes the token in the environment, scoped to GitHub, and nothing else of deploybot', () => {
    const env = buildGitEnv({ path: '/usr/bin', home: '/home/d' }, 'https://github.com', 'ghp_secret');
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/d',
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_COUNT: '3',
      GIT_CONFIG_KEY_0: 'protocol.ext.allow',
      GIT_CONFIG_VALUE_0: 'never',
      GIT_CONFIG_KEY_1: 'advice.detachedHead',
      GIT_CONFIG_VALUE_1: 'false',
      GIT_CONFIG_KEY_2: 'http.https://github.com/.extraHeader',
      GIT_CONFIG_VALUE_2: `Authorization: Basic ${Buffer.from('x-access-token:ghp_secret').toString('base64')}`,
    });
    expect(gitAuthorizationHeader('ghp_secret')).toBe(env.GIT_CONFIG_VALUE_2);
    expect(buildGitEnv({ path: '/p', home: '/h' }, 'https://github.com', undefined).GIT_CONFIG_COUNT).toBe(
      '2',
    );
  });

  it.each([
    ['https://github.com/octo-org/web.git', 'https://github.com', true],
    ['https://GitHub.com/octo-org/web.git', 'https://github.com', true],
    ['https://github.com.evil.example/octo-org/web.git', 'https://github.com', false],
    ['https://gitlab.example.com/octo-org/web.git', 'https://github.com', false],
    ['/srv/repos/web.git', 'https://github.com', false],
    ['http://127.0.0.1:8080/octo-org/web.git', 'http://127.0.0.1:8080', true],
    ['http://127.0.0.1:9090/octo-org/web.git', 'http://127.0.0.1:8080', false],
    ['https://ghe.example.com/octo-org/web.git', 'https://ghe.example.com/', true],
  ])('git sends the token to %s (GitHub at %s): %s', (url, github, sends) => {
    expect(sendsGitHubToken(url, github)).toBe(sends);
  });

  it('fetches from clone_url, relative to the working directory, else from GitHub', () => {
    const access = { githubWebUrl: 'https://github.com', token: async () => 't' };
    const [web, api] = config.repos;
    expect(resolveFetchUrl(web!, access, '/srv')).toBe('https://github.com/octo-org/web.git');
    expect(resolveFetchUrl(api!, access, '/srv/deploybot')).toBe('/srv/deploybot/repos/api.git');
  });

  it('masks every secret deploybot holds, and the token as git sends it', () => {
    const settings = parseSettings(
      {
        SLACK_BOT_TOKEN: 'xoxb-bot-token',
        SLACK_SIGNING_SECRET: 'signing-secret',
        SLACK_APP_TOKEN: 'xapp-app-token',
        GITHUB_TOKEN: 'ghp_token',
        GITHUB_WEBHOOK_SECRET: 'webhook-secret',
        DATABASE_URL: 'postgres://deploybot:db-p%40ss@db.example.com/deploybot',
      },
      '/srv',
    );
    expect(listBotSecrets(settings)).toEqual([
      'xoxb-bot-token',
      'signing-secret',
      'xapp-app-token',
      'ghp_token',
      'webhook-secret',
      Buffer.from('x-access-token:ghp_token').toString('base64'),
      'db-p@ss',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config-file.js';
import {
  buildDeployFacts,
  buildHttpDeployBody,
  buildScriptEnv,
  type DeployFacts,
  describeDeployStart,
} from '../../src/core/deploy-env.js';
import {
  checkDeployTarget,
  decideIntake,
  findDeployTarget,
  type IncomingDeployment,
} from '../../src/core/deploy-intake.js';
import type { DeployJob } from '../../src/core/ports/deploy-job-store.js';

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

describe('findDeployTarget', () => {
  it.each([
    ['octo-org/web', 'staging', 'staging'],
    ['OCTO-ORG/WEB', 'Staging', 'staging'],
    // Intake took the environment in by name; an alias is not that name.
    ['octo-org/web', 'stg', undefined],
    ['octo-org/web', 'gone', undefined],
    ['octo-org/gone', 'staging', undefined],
  ])('%s %s -> %s', (repository, environment, found) => {
    expect(findDeployTarget(config, { repository, environment })?.environment.name).toBe(found);
  });
});

describe('the facts of a job', () => {
  const job = {
    deploymentId: 1001,
    repository: 'octo-org/web',
    ref: 'main',
    sha: SHA,
    environment: 'staging',
    logToken: 'tok',
  } as DeployJob;

  it.each([
    [
      { task: 'deploy', creator: 'octocat', payload: { deploy_user: 'alice' } },
      'deploy',
      'alice',
      { deploy_user: 'alice' },
    ],
    [{ task: 'deploy:migrate', creator: 'octocat', payload: null }, 'deploy:migrate', 'octocat', {}],
    [{ task: undefined, creator: undefined, payload: 'not an object' }, 'deploy', 'unknown', {}],
    [{ task: 'de\u0000ploy', creator: 'bad\nname', payload: [] }, 'deploy', 'badname', {}],
  ])('%j -> task %s, user %s, payload %j', (record, task, user, payload) => {
    const facts = buildDeployFacts(job, record, 'https://d.example.com/');
    expect(facts).toEqual({
      id: 1001,
      repository: 'octo-org/web',
      ref: 'main',
      sha: SHA,
      environment: 'staging',
      task,
      user,
      payload,
      logUrl: 'https://d.example.com/deploys/1001/tok',
    });
  });

  it('opens the log with what is deployed where, for whom', () => {
    const facts = buildDeployFacts(job, { task: 'deploy', creator: 'octocat', payload: {} }, 'https://d');
    expect(describeDeployStart(facts)).toBe(`deploying octo-org/web ${SHA} (main) to staging for octocat`);
  });
});

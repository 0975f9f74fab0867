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
  judgeTrust,
} from '../../src/core/deploy-intake.js';
import { describeOutcome } from '../../src/core/deploy-outcome.js';
import { isReservedEnvVarName, RESERVED_ENV_VAR_NAMES } from '../../src/core/names.js';
import type { DeployJob } from '../../src/core/ports/deploy-job-store.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const NOW = Date.parse('2026-12-01T12:00:00Z');
const DAY = 86_400_000;

const config = parseConfig(
  JSON.stringify({
    slack: { channel: 'C0DEPLOYS' },
    repos: {
      'octo-org/web': {
        environments: {
          staging: {
            aliases: ['stg'],
            provider: { type: 'script', command: ['./deploy'] },
            trusted_creators: ['release-bot'],
          },
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
  type Overrides = { [K in keyof IncomingDeployment]?: IncomingDeployment[K] | undefined };
  // An override of undefined removes the field, as a deployment without it arrives.
  const deployment = (overrides: Overrides): IncomingDeployment =>
    Object.fromEntries(
      Object.entries({
        repository: 'octo-org/web',
        id: 1,
        sha: SHA,
        ref: 'main',
        environment: 'staging',
        creator: 'deploybot[bot]',
        createdAt: new Date(NOW - 60_000).toISOString(),
        ...overrides,
      }).filter(([, value]) => value !== undefined),
    ) as unknown as IncomingDeployment;
  const context = { self: 'deploybot[bot]', now: NOW };

  it.each<[string, Overrides, string, string?]>([
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
    ['a ref with a shell metacharacter', { ref: 'main$(id)' }, 'refuse', 'invalid_ref'],
    ['a ref with a semicolon', { ref: 'main;id' }, 'refuse', 'invalid_ref'],
    ["deploybot's own in another case", { creator: 'DeployBot[bot]' }, 'run'],
    ['an untrusted creator', { creator: 'mallory' }, 'not_run'],
    ['a trusted creator', { creator: 'Release-Bot' }, 'run'],
    [
      'a trusted creator in another environment',
      { repository: 'octo-org/api', creator: 'release-bot' },
      'not_run',
    ],
    ['an external environment, whoever made it', { environment: 'production', creator: 'mallory' }, 'ignore'],
    ['a day old, less a minute', { createdAt: new Date(NOW - DAY + 60_000).toISOString() }, 'run'],
    ['a day old and a minute', { createdAt: new Date(NOW - DAY - 60_000).toISOString() }, 'not_run'],
    ['of unknown age', { createdAt: undefined }, 'not_run'],
    ['of unreadable age', { createdAt: 'yesterday' }, 'not_run'],
  ])('%s → %s', (_what, overrides, kind, code) => {
    const intake = decideIntake(config, deployment(overrides), context);
    expect(intake.kind).toBe(kind);
    if (intake.kind !== 'ignore') {
      expect(intake.lane).toBe(`${intake.repo.fullName}:${intake.environment.name}`);
      expect(intake.error?.code).toBe(code);
    }
  });
});

describe('judgeTrust: why a deployment is not run', () => {
  const staging = config.repos[0]?.environments[0];
  it.each([
    [{ creator: 'mallory' }, "created by mallory, who is not among this environment's trusted_creators"],
    [{ createdAt: new Date(NOW - 3 * DAY - 5_000).toISOString() }, 'created 3 days ago'],
    [{ createdAt: new Date(NOW - 30 * 3_600_000).toISOString() }, 'created 30 hours ago'],
    [{}, undefined],
  ])('%j → %s', (overrides, reason) => {
    if (!staging) throw new Error('staging is configured');
    const deployment = { creator: 'deploybot[bot]', createdAt: new Date(NOW).toISOString(), ...overrides };
    expect(judgeTrust(staging, deployment, { self: 'deploybot[bot]', now: NOW })).toBe(reason);
  });

  it('fits a long login into the 140 characters of a GitHub status', () => {
    const outcome = describeOutcome({
      kind: 'not_run',
      reason: `created by ${'m'.repeat(39)}[bot], who is not among this environment's trusted_creators`,
    });
    expect(outcome.state).toBe('error');
    expect(outcome.description.length).toBeLessThanOrEqual(140);
    expect(
      describeOutcome({
        kind: 'not_run',
        reason: "created by mallory, who is not among this environment's trusted_creators",
      }).description,
    ).toBe("not run: created by mallory, who is not among this environment's trusted_creators");
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
    [{ ref: 'main`id`' }, 'invalid_ref'],
    [{ ref: "feature/x'y" }, 'invalid_ref'],
    [{ ref: 'a|b' }, 'invalid_ref'],
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

describe('the variables deploybot reserves', () => {
  it('are exactly those buildScriptEnv sets itself', () => {
    const facts: DeployFacts = {
      id: 1,
      repository: 'octo-org/web',
      ref: 'main',
      sha: SHA,
      environment: 'staging',
      task: 'deploy',
      user: 'alice',
      payload: {},
      logUrl: 'https://deploybot.example.com/deploys/1/t',
    };
    const set = Object.keys(buildScriptEnv(facts, { path: '/usr/bin', home: '/home/d' }, {})).sort();
    expect([...RESERVED_ENV_VAR_NAMES].sort()).toEqual(set);
    expect(isReservedEnvVarName('DEPLOY_REGION')).toBe(false);
    expect(isReservedEnvVarName('deploy_id')).toBe(true);
  });
});

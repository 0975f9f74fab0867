import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config-file.js';
import { findRepo } from '../../src/core/config-lookup.js';
import { DeploybotError } from '../../src/core/errors.js';
import {
  type CheckContext,
  classifyCheckContexts,
  describeDeployRefusal,
  planMergeDeploys,
  renderWaitingForChecks,
  toMergeDeploySubject,
} from '../../src/core/merge-deploy.js';

const config = parseConfig(
  `
slack: { channel: C0DEPLOYS }
repos:
  octo-org/web:
    channel: C0WEB
    environments:
      staging:
        deploy_on_merge: main
      qa:
        deploy_on_merge: main
        required_contexts: []
      production:
        deploy_on_merge: release
        required_contexts: [ci/build]
  octo-org/api:
    environments:
      production: {}
`,
  'test.yml',
);

const pr = {
  repository: 'octo-org/web',
  number: 42,
  title: 'Add the thing',
  author: 'octocat',
  baseRef: 'main',
  mergeCommitSha: 'f'.repeat(40),
};

describe('planMergeDeploys', () => {
  it.each([
    ['octo-org/web', 'main', ['staging', 'qa']],
    ['octo-org/web', 'release', ['production']],
    ['octo-org/web', 'feature', []],
    ['octo-org/api', 'main', []],
  ])('%s merged into %s deploys to %j', (repoName, baseRef, environments) => {
    const repo = findRepo(config, repoName)!;
    const plans = planMergeDeploys(config, repo, { ...pr, repository: repoName, baseRef });
    expect(plans.map((p) => p.request.environment)).toEqual(environments);
  });

  it('builds the request GitHub needs, with the hubot-deploy payload', () => {
    const repo = findRepo(config, 'octo-org/web')!;
    const [staging, qa] = planMergeDeploys(config, repo, pr);
    expect(staging).toEqual({
      channel: 'C0WEB',
      request: {
        owner: 'octo-org',
        repo: 'web',
        ref: 'f'.repeat(40),
        environment: 'staging',
        task: 'deploy',
        auto_merge: false,
        description: 'Deploy #42 (Add the thing) merged into main',
        production_environment: false,
        payload: { deploy_user: 'octocat', pull_request: 42, notify: { adapter: 'slack', channel: 'C0WEB' } },
      },
    });
    expect(staging?.request).not.toHaveProperty('required_contexts');
    expect(qa?.request.required_contexts).toEqual([]);
  });

  it('marks production and keeps the description within 140 characters', () => {
    const repo = findRepo(config, 'octo-org/web')!;
    const [production] = planMergeDeploys(config, repo, {
      ...pr,
      baseRef: 'release',
      title: 'x'.repeat(300),
    });
    expect(production?.request.production_environment).toBe(true);
    expect(production?.request.required_contexts).toEqual(['ci/build']);
    expect(production?.request.description.length).toBeLessThanOrEqual(140);
  });

  it('falls back to the default channel', () => {
    const repo = findRepo(config, 'octo-org/api')!;
    expect(planMergeDeploys(config, repo, { ...pr, repository: 'octo-org/api', baseRef: 'x' })).toEqual([]);
  });
});

describe('classifyCheckContexts', () => {
  const cases: Array<[string, CheckContext[], string[], string[]]> = [
    ['pending waits', [{ context: 'ci/build', state: 'pending' }], [], ['ci/build']],
    ['missing waits', [{ context: 'ci/build', state: 'missing' }], [], ['ci/build']],
    ['failure fails', [{ context: 'ci/test', state: 'failure' }], ['ci/test'], []],
    ['error fails', [{ context: 'ci/test', state: 'error' }], ['ci/test'], []],
    [
      'mixed',
      [
        { context: 'a', state: 'pending' },
        { context: 'b', state: 'failure' },
        { context: 'c', state: 'success' },
      ],
      ['b'],
      ['a'],
    ],
  ];
  it.each(cases)('%s', (_name, contexts, failed, waiting) => {
    const result = classifyCheckContexts(contexts);
    expect(result.failed.map((c) => c.context)).toEqual(failed);
    expect(result.waiting.map((c) => c.context)).toEqual(waiting);
  });
});

describe('renderWaitingForChecks', () => {
  it('names the checks it waits for', () => {
    const message = renderWaitingForChecks(
      {
        repository: 'octo-org/web',
        repositoryUrl: 'https://github.com/octo-org/web',
        environment: 'staging',
        sha: 'a'.repeat(40),
        pullRequest: 42,
      },
      [{ context: 'ci/build', state: 'pending' }],
    );
    expect(message.text).toContain('waiting for CI');
    expect(message.text).toContain('ci/build');
    expect(JSON.stringify(message.blocks)).toContain('#42');
  });
});

describe('toMergeDeploySubject', () => {
  const [plan] = planMergeDeploys(config, findRepo(config, 'octo-org/web')!, pr);
  it('names the repository, commit, environment and pull request of the request', () => {
    expect(toMergeDeploySubject(plan!.request, 'https://github.com/octo-org/web')).toEqual({
      repository: 'octo-org/web',
      repositoryUrl: 'https://github.com/octo-org/web',
      environment: 'staging',
      sha: 'f'.repeat(40),
      pullRequest: 42,
    });
  });
  it('leaves out a pull request the payload does not name', () => {
    const { pull_request: _dropped, ...payload } = plan!.request.payload;
    const request = { ...plan!.request, payload };
    expect(toMergeDeploySubject(request, 'u')).not.toHaveProperty('pullRequest');
  });
});

describe('describeDeployRefusal', () => {
  const cases: Array<[string, DeploybotError, string]> = [
    [
      "deploybot's words alone",
      new DeploybotError('github_unavailable', 'x'),
      'GitHub is having trouble right now; try again in a minute.',
    ],
    [
      "GitHub's words added",
      new DeploybotError('github_invalid', 'Validation Failed', {
        details: { githubMessage: 'No ref found' },
      }),
      'GitHub rejected the request: Validation Failed GitHub said: "No ref found"',
    ],
    [
      "GitHub's words not repeated",
      new DeploybotError('github_invalid', 'No ref found', { details: { githubMessage: 'No ref found' } }),
      'GitHub rejected the request: No ref found',
    ],
  ];
  it.each(cases)('%s', (_name, error, expected) => {
    expect(describeDeployRefusal(error)).toBe(expected);
  });
});

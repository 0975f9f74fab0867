import { describe, expect, it } from 'vitest';
import type { MergeDeployAttempt } from '../../src/deploys/deploy-merge.js';
import {
  createDeployMergedPullRequest,
  type MergedPullRequestEvent,
} from '../../src/deploys/deploy-merged-pull-request.js';
import { createMemoryLog } from '../support/memory/memory-log.js';
import { createMergeDeployRig, MERGE_CONFIG, WEB_URL } from '../support/merge-deploy-rig.js';

const merged = (more: Partial<MergedPullRequestEvent> = {}): MergedPullRequestEvent => ({
  repository: 'octo-org/web',
  repositoryUrl: WEB_URL,
  number: 42,
  title: 'Add the thing',
  author: 'octocat',
  baseRef: 'main',
  mergeCommitSha: 'a'.repeat(40),
  ...more,
});

describe('deployMergedPullRequest', () => {
  function recording() {
    const attempts: MergeDeployAttempt[] = [];
    const log = createMemoryLog();
    const deploy = createDeployMergedPullRequest({
      config: MERGE_CONFIG,
      deployMerge: async (attempt) => {
        attempts.push(attempt);
      },
    });
    return { attempts, log, deploy };
  }

  it('asks for one deploy per environment of the base branch, in its channel', async () => {
    const { attempts, log, deploy } = recording();
    await deploy({ pullRequest: merged({ baseRef: 'release' }), finalAttempt: true, log });
    expect(attempts).toEqual([
      {
        request: {
          owner: 'octo-org',
          repo: 'web',
          ref: 'a'.repeat(40),
          environment: 'production',
          task: 'deploy',
          auto_merge: false,
          required_contexts: ['ci/build'],
          description: 'Deploy #42 (Add the thing) merged into release',
          production_environment: true,
          payload: {
            deploy_user: 'octocat',
            pull_request: 42,
            notify: { adapter: 'slack', channel: 'C0WEB' },
          },
        },
        channel: 'C0WEB',
        repositoryUrl: WEB_URL,
        finalAttempt: true,
        log,
      },
    ]);
  });

  it.each([
    ['a repository missing from deploybot.yml', merged({ repository: 'octo-org/unknown' }), 'debug'],
    ['a merge without a merge commit', merged({ mergeCommitSha: undefined }), 'warn'],
    ['a branch no environment deploys', merged({ baseRef: 'develop' }), 'debug'],
  ] as const)('ignores %s, and says so in the log', async (_name, pullRequest, level) => {
    const { attempts, log, deploy } = recording();
    await deploy({ pullRequest, finalAttempt: false, log });
    expect(attempts).toEqual([]);
    expect(log.lines.map((l) => l.level)).toEqual([level]);
  });

  it('deploys the merge end to end over the memory ports', async () => {
    const rig = createMergeDeployRig();
    const deploy = createDeployMergedPullRequest({ config: MERGE_CONFIG, deployMerge: rig.deployMerge });
    const { sha } = rig.merge(42);
    await deploy({ pullRequest: merged({ mergeCommitSha: sha }), finalAttempt: false, log: rig.log });
    expect(rig.github.deployments.map((d) => [d.sha, d.environment])).toEqual([[sha, 'staging']]);
  });
});

import { parseConfig } from '../../src/config/config-file.js';
import { findRepo } from '../../src/core/config-lookup.js';
import { type DeploymentRequest, planMergeDeploys } from '../../src/core/merge-deploy.js';
import type { CreatedDeployment } from '../../src/core/ports/github.js';
import { createDeployMerge, type MergeDeployAttempt } from '../../src/deploys/deploy-merge.js';
import { createManualScheduler } from './manual-scheduler.js';
import { createMemoryChat } from './memory/memory-chat.js';
import { createMemoryGitHub } from './memory/memory-github.js';
import { createMemoryLog } from './memory/memory-log.js';
import { createMemoryStore } from './memory/memory-store.js';

export const MERGE_CONFIG = parseConfig(
  `
slack:
  channel: C0DEPLOYS
repos:
  octo-org/web:
    channel: C0WEB
    environments:
      staging:
        deploy_on_merge: main
      production:
        deploy_on_merge: release
        required_contexts: [ci/build]
`,
  'merge-deploy-rig.yml',
);

export const WEB_URL = 'https://github.com/octo-org/web';

/**
 * The merge deploy over memory ports: GitHub with octo-org/web, Slack, the store, a manual
 * clock and a deployer that records what it is handed.
 */
export function createMergeDeployRig(config = MERGE_CONFIG, start = Date.parse('2024-05-01T10:00:00Z')) {
  const scheduler = createManualScheduler(start);
  const store = createMemoryStore();
  const github = createMemoryGitHub({ now: scheduler.now });
  const chat = createMemoryChat();
  const log = createMemoryLog();
  const handedOver: Array<{ readonly repository: string; readonly deployment: CreatedDeployment }> = [];
  let ids = 0;
  const deployMerge = createDeployMerge({
    config,
    github,
    chat,
    store,
    clock: scheduler,
    newId: () => `id-${++ids}`,
    onDeploymentCreated: async (repository, deployment) => {
      handedOver.push({ repository, deployment });
    },
  });
  github.addRepo('octo-org/web');

  /** A merge commit of pull request `number` into `branch`, and the request for `environment`. */
  function merge(number: number, branch = 'main'): { sha: string; request: DeploymentRequest } {
    const sha = github.commit('octo-org/web', branch, `Merge pull request #${number}`);
    const repo = findRepo(MERGE_CONFIG, 'octo-org/web')!;
    const [plan] = planMergeDeploys(MERGE_CONFIG, repo, {
      repository: 'octo-org/web',
      number,
      title: 'Add the thing',
      author: 'octocat',
      baseRef: branch,
      mergeCommitSha: sha,
    });
    return { sha, request: plan!.request };
  }

  /** One attempt as a delivery makes it, not its last try unless told. */
  const attempt = (
    request: DeploymentRequest,
    more: Partial<MergeDeployAttempt> = {},
  ): MergeDeployAttempt => ({
    request,
    channel: 'C0WEB',
    repositoryUrl: WEB_URL,
    finalAttempt: false,
    log,
    ...more,
  });

  const created = () => github.calls.filter((c) => c.method === 'createDeployment');
  const texts = (channel = 'C0WEB') => chat.inChannel(channel).map((m) => m.content.text);

  return {
    config,
    scheduler,
    store,
    github,
    chat,
    log,
    handedOver,
    deployMerge,
    merge,
    attempt,
    created,
    texts,
  };
}

export type MergeDeployRig = ReturnType<typeof createMergeDeployRig>;

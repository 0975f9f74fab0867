import { parseConfig } from '../../src/config/config-file.js';
import type { ChatAsker } from '../../src/core/chat-deploy.js';
import type { Config, EnvironmentConfig, RepoConfig } from '../../src/core/config.js';
import { findEnvironment, findRepo } from '../../src/core/config-lookup.js';
import type { DeploymentState } from '../../src/core/deployment-state.js';
import type { MessageContent } from '../../src/core/message.js';
import type { CreatedDeployment } from '../../src/core/ports/github.js';
import { createAdmitChatUser } from '../../src/deploys/admit-chat-user.js';
import { createAnswerDeployConfirmation } from '../../src/deploys/answer-deploy-confirmation.js';
import { createAnswerLockTakeover } from '../../src/deploys/answer-lock-takeover.js';
import { createApproveDeploy } from '../../src/deploys/approve-deploy.js';
import { createCancelChatDeploys } from '../../src/deploys/cancel-chat-deploys.js';
import { createExpireLocks } from '../../src/deploys/expire-locks.js';
import { createLockEnvironment } from '../../src/deploys/lock-environment.js';
import { createReadRecentDeployments } from '../../src/deploys/read-recent-deployments.js';
import { createRequestChatDeploy } from '../../src/deploys/request-chat-deploy.js';
import { createRequestRollback } from '../../src/deploys/request-rollback.js';
import { createShowHistory } from '../../src/deploys/show-history.js';
import { createShowWhere } from '../../src/deploys/show-where.js';
import { createUnlockEnvironment } from '../../src/deploys/unlock-environment.js';
import { CHAT_CONFIG } from './chat-config.js';
import { createManualScheduler } from './manual-scheduler.js';
import { createMemoryChat, createRecordingReplier, type RecordingReplier } from './memory/memory-chat.js';
import { createMemoryGitHub } from './memory/memory-github.js';
import { createMemoryLog } from './memory/memory-log.js';
import { createMemoryStore } from './memory/memory-store.js';

/**
 * Every chat use case over the memory ports and a manual scheduler, with CHAT_CONFIG (see
 * chat-config.ts): octo-org/web (staging; production with deployers, an admin and ci/build;
 * qa with an approval) and octo-org/api. GitHub knows both repositories, each on `main`.
 */
export function createChatRig(options: { readonly config?: string; readonly start?: number } = {}) {
  const scheduler = createManualScheduler(options.start);
  const config: Config = parseConfig(options.config ?? CHAT_CONFIG, 'deploybot.yml');
  const store = createMemoryStore();
  const github = createMemoryGitHub({ now: scheduler.now });
  github.addRepo('octo-org/web');
  github.addRepo('octo-org/api');
  const chat = createMemoryChat();
  const log = createMemoryLog();
  const handedOff: Array<{ repository: string; deployment: CreatedDeployment }> = [];
  const unlocked: Array<{ repository: string; environment: string }> = [];
  const cancelRequests: Array<{ target: { repository: string; environment: string }; by: string }> = [];
  let cancelledIds: readonly number[] = [];
  let ids = 0;

  const deps = {
    config,
    github,
    recentDeployments: createReadRecentDeployments({ github, statuses: store }),
    chat,
    store,
    clock: scheduler,
    newId: () => `id-${++ids}`,
    githubWebUrl: 'https://github.com',
    log,
    onDeploymentCreated: async (repository: string, deployment: CreatedDeployment) => {
      handedOff.push({ repository, deployment });
    },
    onUnlocked: async (repository: string, environment: string) => {
      unlocked.push({ repository, environment });
    },
  };

  const requestChatDeploy = createRequestChatDeploy(deps);
  const useCases = {
    admitChatUser: createAdmitChatUser(deps),
    requestChatDeploy,
    requestRollback: createRequestRollback({ ...deps, requestChatDeploy }),
    showWhere: createShowWhere(deps),
    showHistory: createShowHistory(deps),
    lockEnvironment: createLockEnvironment(deps),
    unlockEnvironment: createUnlockEnvironment(deps),
    cancelChatDeploys: createCancelChatDeploys({
      ...deps,
      cancelDeploys: async (target, by) => {
        cancelRequests.push({ target, by });
        return cancelledIds;
      },
    }),
    answerDeployConfirmation: createAnswerDeployConfirmation(deps),
    approveDeploy: createApproveDeploy(deps),
    answerLockTakeover: createAnswerLockTakeover(deps),
    expireLocks: createExpireLocks(deps),
  };

  /** The repository and environment as the command grammar would resolve them. */
  function target(
    repository: string,
    environment: string,
  ): { repo: RepoConfig; environment: EnvironmentConfig } {
    const repo = findRepo(config, repository);
    const env = repo && findEnvironment(repo, environment);
    if (!repo || !env) throw new Error(`no ${repository} ${environment} in the test config`);
    return { repo, environment: env };
  }

  return {
    ...useCases,
    deps,
    scheduler,
    config,
    store,
    github,
    chat,
    log,
    /** Deployments handed to the deployer, in order. */
    handedOff,
    /** What unlocks and lapsed locks released, in order. */
    unlocked,
    cancelRequests,
    /** What the deployer's cancel answers from now on. */
    cancels: (deploymentIds: readonly number[]) => {
      cancelledIds = deploymentIds;
    },
    target,
    /** A slash command's asker: `user_name` is the lower-cased ID, as the Slack stand-in sends it. */
    asker: (userId = 'U0ALICE', extra: Partial<ChatAsker> = {}): ChatAsker => ({
      userId,
      userName: userId.toLowerCase(),
      channel: 'C0WEB',
      ...extra,
    }),
    /** A button's two repliers: in place of its message, and anew. */
    replies: () => ({ prompt: createRecordingReplier(), fresh: createRecordingReplier() }),
    /** GitHub's createDeployment calls that went through. */
    created: () => github.deployments.filter((d) => d.request !== undefined),
  };
}

export type ChatRig = ReturnType<typeof createChatRig>;

/** The value of the button with this action id in a message's blocks. */
export function buttonOf(content: MessageContent | undefined, actionId: string): string | undefined {
  for (const block of content?.blocks ?? []) {
    if (block.type !== 'actions') continue;
    for (const element of block.elements) if (element.action_id === actionId) return element.value;
  }
  return undefined;
}

/** Everything a reply says, blocks included, as one string. */
export function textOf(content: MessageContent | undefined): string {
  return content === undefined ? '' : `${content.text}\n${JSON.stringify(content.blocks ?? [])}`;
}

/** The last reply a replier got. */
export function lastOf(replier: RecordingReplier): RecordingReplier['replies'][number] | undefined {
  return replier.replies.at(-1);
}

/**
 * Deployments of octo-org/web made outside deploybot, a minute apart, each with one status
 * (and a log link); oldest first, each of a new commit by `dev0`, `dev1`, … Returns the shas.
 */
export async function deployWebElsewhere(
  rig: ChatRig,
  environment: string,
  states: readonly DeploymentState[],
): Promise<string[]> {
  const shas: string[] = [];
  for (const [i, state] of states.entries()) {
    const sha = rig.github.commit('octo-org/web', 'main', `Release ${i}`);
    await rig.scheduler.advance(60_000);
    const d = rig.github.addDeployment('octo-org/web', {
      sha,
      ref: sha,
      environment,
      task: 'deploy',
      payload: {},
      creator: `dev${i}`,
    });
    await rig.github.createDeploymentStatus({
      repository: 'octo-org/web',
      deploymentId: d.id,
      state,
      description: '',
      logUrl: `https://ci.example.com/${environment}/${i}`,
    });
    shas.push(sha);
  }
  rig.github.calls.length = 0;
  return shas;
}

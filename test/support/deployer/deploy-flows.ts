import { parseConfig } from '../../../src/config/config-file.js';
import type { Config } from '../../../src/core/config.js';
import type { IncomingDeployment } from '../../../src/core/deploy-intake.js';
import type { DeployJob } from '../../../src/core/ports/deploy-job-store.js';
import type { DeployLeftovers } from '../../../src/core/ports/deploy-leftovers.js';
import type { OpenDeployLog } from '../../../src/core/ports/deploy-log.js';
import type { GitHubPort } from '../../../src/core/ports/github.js';
import type { RunnerLiveness } from '../../../src/core/ports/runner-liveness.js';
import { createLogCapture } from '../../../src/deployer/log-capture.js';
import { createDeployer, type Deployer, type DeployerOptions } from '../../../src/deploys/deployer.js';
import type { SubmitResult } from '../../../src/deploys/submit-deploy-job.js';
import type { Store } from '../../../src/store/store.js';
import { createManualScheduler, type ManualScheduler } from '../manual-scheduler.js';
import { createMemoryChat, type MemoryChat } from '../memory/memory-chat.js';
import { createMemoryGitHub, type MemoryGitHub } from '../memory/memory-github.js';
import { createMemoryIdentity } from '../memory/memory-identity.js';
import { createMemoryLog, type MemoryLog } from '../memory/memory-log.js';
import { createMemoryStore } from '../memory/memory-store.js';
import { createMemoryProvider, type MemoryProvider } from './memory-provider.js';

export const FLOW_REPO = 'octo-org/web';
export const FLOW_SHA = 'a'.repeat(40);
export const PUBLIC_URL = 'https://deploybot.example.com';
export const BOT_SECRET = 'xoxb-bot-secret-token';
/** deploybot's GitHub login in the rig, and so the creator of the deployments it submits. */
export const FLOW_CREATOR = 'octocat';

/** Production-like timings, driven by the manual scheduler. */
export const FLOW_TIMINGS = {
  storeRetryDelayMs: (attempt: number) => 100 * attempt,
  statusRetryDelayMs: (attempt: number) => 1_000 * attempt,
  sweepIntervalMs: 30_000,
  submitRetryDelaysMs: [500, 2_000, 5_000],
  leaseTtlMs: 20_000,
  heartbeatIntervalMs: 5_000,
  // A stop ends what runs at once unless a test gives a grace period (and moves time through it).
  shutdownGraceMs: 0,
} as const;

/**
 * deploybot.yml for the flows: octo-org/web with `staging` (alias stg), `production`,
 * `preview` (5 s timeout) and `qa`, all carried out by the memory provider, and `docs` by
 * another system.
 */
export function flowConfig(): Config {
  const script = (timeout = 60) => ({ type: 'script', command: ['./deploy'], checkout: false, timeout });
  return parseConfig(
    JSON.stringify({
      slack: { channel: 'C0DEPLOYS' },
      github: { owner: 'octo-org' },
      repos: {
        [FLOW_REPO]: {
          environments: {
            staging: { aliases: ['stg'], provider: script() },
            production: { provider: script(), url: 'https://web.example.com' },
            preview: { provider: script(5) },
            qa: { provider: script() },
            docs: { provider: { type: 'external' } },
          },
        },
      },
    }),
    'deploybot.yml',
  );
}

export interface FlowRigOptions {
  readonly concurrency?: number;
  /** The store the deployer sees, made from the memory one: to make calls fail or wait. */
  readonly wrapStore?: (store: Store) => Store;
  /** The GitHub the deployer sees, made from the memory one. */
  readonly wrapGitHub?: (github: MemoryGitHub) => GitHubPort;
  /** Share a store and GitHub with an earlier rig: a second process, after a restart. */
  readonly after?: FlowRig;
  /** Names this process; `memory-runner-1`, or `-2` with `after`. */
  readonly runnerId?: string;
  /** What the rig knows of other processes: by default all on this host and none known gone. */
  readonly liveness?: RunnerLiveness;
  readonly shutdownGraceMs?: number;
}

export interface FlowRig {
  readonly deployer: Deployer;
  /** The memory store, unwrapped. */
  readonly store: Store;
  readonly github: MemoryGitHub;
  readonly provider: MemoryProvider;
  /** Where the deployer announces what GitHub refuses. */
  readonly chat: MemoryChat;
  readonly scheduler: ManualScheduler;
  readonly log: MemoryLog;
  /** Jobs whose leftovers were cleared, by deployment id. */
  readonly cleared: number[];
  /**
   * Creates a deployment on GitHub and submits it, as its webhook would; `payload: undefined`
   * submits it without its payload, as deploybot does for one it only heard of.
   */
  deploy(
    environment: string,
    fields?: Partial<IncomingDeployment>,
  ): Promise<{ id: number; result: SubmitResult }>;
  /** The states GitHub got for a deployment, in order. */
  states(id: number): string[];
  /** The description of the latest status of a deployment. */
  lastStatus(id: number): { state: string; description: string; environmentUrl?: string } | undefined;
  logText(id: number): Promise<string>;
  job(id: number): Promise<DeployJob | undefined>;
  /** Lets everything that can happen without time passing happen. */
  settle(): Promise<void>;
}

/** The whole deployer over memory ports and a manual scheduler: no process, no database, no timer. */
export function createFlowRig(options: FlowRigOptions = {}): FlowRig {
  const scheduler = options.after?.scheduler ?? createManualScheduler();
  const store = options.after?.store ?? createMemoryStore();
  const github = options.after?.github ?? createMemoryGitHub({ now: scheduler.now });
  const provider = createMemoryProvider();
  const chat = options.after?.chat ?? createMemoryChat();
  const log = createMemoryLog();
  const cleared: number[] = [];
  const seen = options.wrapStore ? options.wrapStore(store) : store;
  const leftovers: DeployLeftovers = {
    clear: async (job) => {
      cleared.push(job.deploymentId);
    },
  };
  const openLog: OpenDeployLog = (opening) =>
    createLogCapture({ ...opening, store: seen, scheduler, log, limitBytes: 1024 * 1024, flushMs: 200 });
  let tokens = 0;
  const deployerOptions: DeployerOptions = {
    config: flowConfig(),
    jobs: seen,
    logs: seen,
    locks: seen,
    github: options.wrapGitHub ? options.wrapGitHub(github) : github,
    chat,
    provider,
    // The rig's deployments are made by octocat, as deploybot's own.
    identity: createMemoryIdentity(FLOW_CREATOR),
    leftovers,
    liveness: options.liveness ?? { isOnThisHost: () => true, isGone: () => false },
    openLog,
    scheduler,
    log,
    publicUrl: PUBLIC_URL,
    secrets: [BOT_SECRET],
    concurrency: options.concurrency ?? 4,
    runnerId: options.runnerId ?? `memory-runner-${options.after ? 2 : 1}`,
    newToken: () => `log-token-${++tokens}`,
    ...FLOW_TIMINGS,
    ...(options.shutdownGraceMs === undefined ? {} : { shutdownGraceMs: options.shutdownGraceMs }),
  };
  const deployer = createDeployer(deployerOptions);
  const statusesOf = (id: number) => github.deployments.find((d) => d.id === id)?.statuses ?? [];
  return {
    deployer,
    store,
    github,
    provider,
    chat,
    scheduler,
    log,
    cleared,
    async deploy(environment, fields = {}) {
      const created = github.addDeployment(FLOW_REPO, {
        sha: fields.sha ?? FLOW_SHA,
        ref: fields.ref ?? 'main',
        environment,
        task: fields.task ?? 'deploy',
        payload: fields.payload ?? { deploy_user: 'alice' },
        creator: FLOW_CREATOR,
      });
      const result = await deployer.submit({
        repository: FLOW_REPO,
        id: created.id,
        sha: created.sha,
        ref: created.ref,
        environment,
        task: created.task,
        creator: fields.creator ?? FLOW_CREATOR,
        createdAt: fields.createdAt ?? new Date(scheduler.now()).toISOString(),
        ...('payload' in fields && fields.payload === undefined ? {} : { payload: created.payload }),
      });
      return { id: created.id, result };
    },
    states: (id) => statusesOf(id).map((s) => s.state),
    lastStatus(id) {
      const last = statusesOf(id).at(-1);
      return (
        last && {
          state: last.state,
          description: last.description,
          ...(last.environmentUrl === undefined ? {} : { environmentUrl: last.environmentUrl }),
        }
      );
    },
    async logText(id) {
      return (await store.readDeployLog(id, 0, 1000)).map((chunk) => chunk.text).join('');
    },
    job: (id) => store.getDeployJob(id),
    settle: () => scheduler.advance(0),
  };
}

import type { Settings } from '../config/settings.js';
import type { Config } from '../core/config.js';
import type { HostEnv } from '../core/deploy-env.js';
import type { ChatPort } from '../core/ports/chat.js';
import type { DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { DeployLogStore } from '../core/ports/deploy-log-store.js';
import type { GitHubPort } from '../core/ports/github.js';
import type { IdentityPort } from '../core/ports/identity.js';
import type { LockStore } from '../core/ports/lock-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { DeployMetrics } from '../core/ports/metrics.js';
import type { Scheduler } from '../core/scheduler.js';
import { createDeployer, type Deployer } from '../deploys/deployer.js';
import { gitBasicCredentials } from './checkout.js';
import { createClearLeftovers } from './clear-leftovers.js';
import { createDispatchProvider } from './dispatch-provider.js';
import { createLogCapture } from './log-capture.js';
import { createRunnerLiveness } from './runner-liveness.js';

/** The deployer's waits; production's are in src/timings.ts. */
export interface DeployerTuning {
  /** Between SIGTERM and SIGKILL when a deploy is stopped. */
  readonly killGraceMs: number;
  /** Output is stored at most this long after it arrives. */
  readonly logFlushMs: number;
  /** Before retry `attempt` of a final status GitHub did not take. */
  readonly statusRetryDelayMs: (attempt: number) => number;
  /** Before retry `attempt` of store work that must not be lost: a deploy's end, the queue. */
  readonly storeRetryDelayMs: (attempt: number) => number;
  /** How often the queue is looked at unasked, and owed final statuses another process left. */
  readonly sweepIntervalMs: number;
  /** How long a running job is held without a renewal before another process may take it over. */
  readonly leaseTtlMs: number;
  /** How often the leases of running jobs are renewed, and jobs whose process stopped looked for. */
  readonly heartbeatIntervalMs: number;
}

/** The waits before each retry of handing the deployer a deployment deploybot created. */
export const SUBMIT_RETRY_DELAYS_MS: readonly number[] = [500, 2_000, 5_000];

export interface DeployerWiring {
  readonly settings: Settings;
  readonly config: Config;
  readonly store: DeployJobStore & DeployLogStore & Pick<LockStore, 'getLock'>;
  readonly github: Pick<
    GitHubPort,
    'getDeployment' | 'createDeploymentStatus' | 'listDeploymentStates' | 'gitToken'
  >;
  /** Where a final status GitHub refuses for want of permission is announced. */
  readonly chat: Pick<ChatPort, 'postMessage'>;
  /** Who deploybot is on GitHub: its own deployments always run. */
  readonly identity: IdentityPort;
  /** Where GitHub's web (and git) lives; clones from there get the GitHub token. */
  readonly githubWebUrl: string;
  readonly scheduler: Scheduler;
  readonly log: LogPort;
  readonly fetch: typeof globalThis.fetch;
  readonly host: HostEnv;
  readonly baseDir: string;
  readonly tmpDir: string;
  readonly runnerId: string;
  readonly newToken: () => string;
  readonly tuning: DeployerTuning;
  readonly metrics?: DeployMetrics;
}

/** The deployer as the app runs it: the deploy flows over the process, HTTP and log adapters. */
export function createDeployerFromSettings(w: DeployerWiring): Deployer {
  const { settings, store, scheduler, tuning } = w;
  const log = w.log.child({ component: 'deployer' });
  const provider = createDispatchProvider({
    gitAccess: {
      githubWebUrl: w.githubWebUrl,
      token: (repository) => w.github.gitToken(repository),
    },
    host: w.host,
    baseDir: w.baseDir,
    tmpDir: w.tmpDir,
    killGraceMs: tuning.killGraceMs,
    time: scheduler,
    log,
    fetch: w.fetch,
  });
  return createDeployer({
    config: w.config,
    jobs: store,
    logs: store,
    locks: store,
    github: w.github,
    chat: w.chat,
    identity: w.identity,
    provider,
    leftovers: createClearLeftovers({ time: scheduler, log }),
    liveness: createRunnerLiveness(),
    openLog: (opening) =>
      createLogCapture({
        ...opening,
        store,
        scheduler,
        log,
        limitBytes: settings.deployLogLimitBytes,
        flushMs: tuning.logFlushMs,
      }),
    scheduler,
    log,
    publicUrl: settings.publicUrl,
    secrets: listBotSecrets(settings),
    concurrency: settings.deployConcurrency,
    runnerId: w.runnerId,
    newToken: w.newToken,
    sweepIntervalMs: tuning.sweepIntervalMs,
    leaseTtlMs: tuning.leaseTtlMs,
    heartbeatIntervalMs: tuning.heartbeatIntervalMs,
    shutdownGraceMs: settings.shutdownGraceSeconds * 1000,
    storeRetryDelayMs: tuning.storeRetryDelayMs,
    statusRetryDelayMs: tuning.statusRetryDelayMs,
    submitRetryDelaysMs: SUBMIT_RETRY_DELAYS_MS,
    ...(w.metrics === undefined ? {} : { metrics: w.metrics }),
  });
}

/** Every secret deploybot holds, in the forms a deploy log could show them. */
export function listBotSecrets(settings: Settings): string[] {
  const { slack, github, database } = settings;
  const secrets = [
    slack.botToken,
    slack.signingSecret,
    slack.appToken,
    slack.signIn?.clientSecret,
    github.token,
    github.webhookSecret,
    github.app?.privateKey,
    settings.metricsToken,
  ];
  if (github.token !== undefined) secrets.push(gitBasicCredentials(github.token));
  if (database.kind === 'postgres') {
    try {
      const password = decodeURIComponent(new URL(database.url).password);
      if (password) secrets.push(password);
    } catch {
      // An unparsable URL never got this far: settings validated it.
    }
  }
  return secrets.filter((secret): secret is string => secret !== undefined && secret !== '');
}

import { setTimeout as delay } from 'node:timers/promises';
import type { Settings } from '../config/settings.js';
import type { Config } from '../core/config.js';
import type { HostEnv } from '../core/deploy-env.js';
import type { Clock } from '../core/scheduler.js';
import { type GitHubAuth, type GitHubClient, getGitToken } from '../github/client.js';
import { githubWebUrlFromApi } from '../github/urls.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { WebhookContext } from '../webhooks/context.js';
import { gitBasicCredentials } from './checkout.js';
import { createDeployer, type Deployer } from './deployer.js';
import { createStatusPoster } from './status-poster.js';

/** Timings tests shorten; the defaults suit production. */
export interface DeployerTuning {
  /** Between SIGTERM and SIGKILL when a deploy is stopped. */
  readonly killGraceMs: number;
  /** Output is stored at most this long after it arrives. */
  readonly logFlushMs: number;
  /** Before retry `attempt` of a final status GitHub did not take. */
  readonly statusRetryDelayMs: (attempt: number) => number;
  /** Before retry `attempt` of store work that must not be lost: a deploy's end, the queue. */
  readonly storeRetryDelayMs: (attempt: number) => number;
  /** How often the queue is looked at unasked. */
  readonly sweepIntervalMs: number;
}

export const DEFAULT_DEPLOYER_TUNING: DeployerTuning = {
  killGraceMs: 10_000,
  logFlushMs: 200,
  statusRetryDelayMs: (attempt) => Math.min(300_000, 2_000 * 2 ** (attempt - 1)),
  storeRetryDelayMs: (attempt) => Math.min(30_000, 500 * 2 ** (attempt - 1)),
  sweepIntervalMs: 30_000,
};

/** The waits before each retry of handing the deployer a deployment deploybot created. */
export const SUBMIT_RETRY_DELAYS_MS: readonly number[] = [500, 2_000, 5_000];

export interface DeployerWiring {
  readonly settings: Settings;
  readonly config: Config;
  readonly store: Store;
  readonly github: GitHubClient;
  readonly githubAuth: GitHubAuth;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fetch: typeof globalThis.fetch;
  readonly host: HostEnv;
  readonly baseDir: string;
  readonly tmpDir: string;
  readonly runnerId: string;
  readonly newToken: () => string;
  readonly tuning: DeployerTuning;
}

/** The deployer as the app runs it, configured from settings. */
export function createDeployerFromSettings(w: DeployerWiring): Deployer {
  const { settings } = w;
  const logger = w.logger.child({ component: 'deployer' });
  const gitAccess = {
    githubWebUrl: githubWebUrlFromApi(settings.github.apiUrl),
    token: (repository: string) => getGitToken(w.github, w.githubAuth, repository),
  };
  const statuses = createStatusPoster({
    store: w.store,
    github: w.github,
    logger,
    publicUrl: settings.publicUrl,
    retryDelayMs: w.tuning.statusRetryDelayMs,
    storeRetryDelayMs: w.tuning.storeRetryDelayMs,
  });
  return createDeployer({
    store: w.store,
    github: w.github,
    config: w.config,
    clock: w.clock,
    logger,
    fetch: w.fetch,
    statuses,
    publicUrl: settings.publicUrl,
    host: w.host,
    gitAccess,
    baseDir: w.baseDir,
    tmpDir: w.tmpDir,
    secrets: listBotSecrets(settings),
    logLimitBytes: settings.deployLogLimitBytes,
    logFlushMs: w.tuning.logFlushMs,
    killGraceMs: w.tuning.killGraceMs,
    storeRetryDelayMs: w.tuning.storeRetryDelayMs,
    sweepIntervalMs: w.tuning.sweepIntervalMs,
    concurrency: settings.deployConcurrency,
    runnerId: w.runnerId,
    newToken: w.newToken,
  });
}

/** Every secret deploybot holds, in the forms a deploy log could show them. */
export function listBotSecrets(settings: Settings): string[] {
  const { slack, github, database } = settings;
  const secrets = [
    slack.botToken,
    slack.signingSecret,
    slack.appToken,
    github.token,
    github.webhookSecret,
    github.app?.privateKey,
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

/** The webhook context's two ways in to the deployer. */
export function connectDeployer(
  deployer: Deployer,
  logger: Logger,
  submitRetryDelaysMs: readonly number[] = SUBMIT_RETRY_DELAYS_MS,
): Pick<WebhookContext, 'onDeploymentCreated' | 'onDeploymentEvent'> {
  return {
    onDeploymentEvent: async (deployment) => {
      await deployer.submit(deployment);
    },
    onDeploymentCreated: async (repository, created) => {
      // Never throws: the pull_request delivery would be retried and create a second deployment.
      // The deployment's own webhook may never come (deliveries get lost), so a failed submit
      // is retried here rather than left to it.
      const deployment = {
        repository,
        id: created.id,
        sha: created.sha,
        ref: created.ref,
        environment: created.environment,
        // Known from GitHub's answer: running it need not ask GitHub again.
        task: created.task,
        payload: created.payload,
        ...(created.creator === undefined ? {} : { creator: created.creator }),
      };
      for (let attempt = 0; ; attempt++) {
        try {
          await deployer.submit(deployment);
          return;
        } catch (error) {
          const delayMs = submitRetryDelaysMs[attempt];
          const log = { err: error, deployment: created.id, attempt: attempt + 1 };
          if (delayMs === undefined) {
            logger.error(
              log,
              'could not queue a deployment deploybot created; it runs only if its webhook comes',
            );
            return;
          }
          logger.warn(
            { ...log, retryInMs: delayMs },
            'could not queue a deployment deploybot created; retrying',
          );
          await delay(delayMs);
        }
      }
    },
  };
}

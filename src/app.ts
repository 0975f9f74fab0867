import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import type { RetryOptions } from '@slack/web-api';
import { createSlackAnnouncer } from './bot/announcer.js';
import { createSlackApp, type SlackApp } from './bot/slack-app.js';
import { wireChat } from './bot/wire.js';
import type { Settings } from './config/settings.js';
import type { Config } from './core/config.js';
import type { HostEnv } from './core/deploy-env.js';
import { LOG_PAGE_PREFIX } from './core/deploy-log-url.js';
import { DeploybotError } from './core/errors.js';
import type { Clock } from './core/scheduler.js';
import type { CancelResult, CancelTarget, Deployer } from './deployer/deployer.js';
import {
  connectDeployer,
  createDeployerFromSettings,
  DEFAULT_DEPLOYER_TUNING,
  type DeployerTuning,
} from './deployer/wire.js';
import { createGitHubClient, githubAuthOf } from './github/client.js';
import { githubWebUrlFromApi } from './github/urls.js';
import { createLogPageRouter } from './http/log-page.js';
import { createHttpApp, finishHttpApp } from './http/server.js';
import type { Logger } from './logger.js';
import { openDatabase } from './store/database.js';
import { createStore, type Store } from './store/store.js';
import { createSystemScheduler } from './system-scheduler.js';
import type { WebhookContext } from './webhooks/context.js';
import { coreHandlers, createDispatcher } from './webhooks/dispatch.js';
import { createInbox, type Inbox } from './webhooks/inbox.js';
import { createLockReleaser } from './webhooks/merge-deploys.js';
import { createWebhookRouter } from './webhooks/receiver.js';

export interface AppOptions {
  readonly settings: Settings;
  readonly config: Config;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly fetch?: typeof globalThis.fetch;
  /** How Slack calls are retried; tests shorten it. */
  readonly slackRetryConfig?: RetryOptions;
  /** Base of GitHub's retry back-off in ms; tests shorten it. */
  readonly githubRetryBaseMs?: number;
  /** Pause between GitHub requests that create content; tests shorten it. */
  readonly githubWriteIntervalMs?: number;
  readonly webhookRetryDelayMs?: (attempt: number) => number;
  /** Deployer timings; tests shorten them. */
  readonly deployerTuning?: Partial<DeployerTuning>;
  /** PATH and HOME of deploy scripts: deploybot's own, which main.ts reads from the environment. */
  readonly deployHost: HostEnv;
  /** Where relative clone_url paths and script commands are resolved: deploybot's working directory. */
  readonly workDir: string;
  /** How often lapsed locks are looked for; tests shorten it. */
  readonly lockSweepIntervalMs?: number;
}

export interface RunningApp {
  readonly url: string;
  readonly port: number;
}

export interface DeploybotApp {
  start(): Promise<RunningApp>;
  stop(): Promise<void>;
  /** Resolves when every received webhook has been handled; for tests and graceful shutdown. */
  idle(): Promise<void>;
  /** Runs the periodic chores once, now: lapsed locks, deploys waiting for a lock. */
  sweep(): Promise<void>;
  /** Cancels a waiting or running deployment; both end in `error` "cancelled by @by". */
  cancelDeploy(target: CancelTarget, by: string): Promise<CancelResult>;
}

// Slack's default retries for ~30 minutes; a stored delivery is retried by the inbox instead.
const DEFAULT_SLACK_RETRY: RetryOptions = {
  retries: 5,
  factor: 2,
  minTimeout: 1_000,
  maxTimeout: 30_000,
  randomize: true,
};

export function createApp(options: AppOptions): DeploybotApp {
  const { settings, config, logger } = options;
  const clock = options.clock ?? createSystemScheduler();
  const fetchFn = options.fetch ?? globalThis.fetch;
  let server: Server | undefined;
  let store: Store | undefined;
  let slack: SlackApp | undefined;
  let inbox: Inbox | undefined;
  let deployer: Deployer | undefined;
  let chat: ReturnType<typeof wireChat> | undefined;

  async function start(): Promise<RunningApp> {
    const db = await openDatabase(settings.database);
    store = createStore(db);
    const githubAuth = githubAuthOf(settings.github);
    const github = createGitHubClient({
      auth: githubAuth,
      baseUrl: settings.github.apiUrl,
      fetch: fetchFn,
      logger: logger.child({ component: 'github' }),
      userAgent: 'deploybot',
      retryBaseMs: options.githubRetryBaseMs ?? 1_000,
      retries: 3,
      writeIntervalMs: options.githubWriteIntervalMs ?? 1_000,
      clock,
    });

    const http = createHttpApp({ health: () => (store as Store).ping(), logger });
    slack = createSlackApp({
      botToken: settings.slack.botToken,
      signingSecret: settings.slack.signingSecret,
      appToken: settings.slack.appToken,
      apiUrl: settings.slack.apiUrl,
      http,
      logger,
      retryConfig: options.slackRetryConfig ?? DEFAULT_SLACK_RETRY,
      fetch: fetchFn,
    });
    const announcer = createSlackAnnouncer({ client: slack.client, store, clock, logger });
    const activeDeployer = createDeployerFromSettings({
      settings,
      config,
      store,
      github,
      githubAuth,
      clock,
      logger,
      fetch: fetchFn,
      // Scripts get deploybot's PATH and HOME and nothing else of its environment.
      host: options.deployHost,
      baseDir: options.workDir,
      tmpDir: tmpdir(),
      runnerId: randomUUID(),
      newToken: () => randomBytes(24).toString('base64url'),
      tuning: { ...DEFAULT_DEPLOYER_TUNING, ...options.deployerTuning },
    });
    deployer = activeDeployer;
    http.use(LOG_PAGE_PREFIX, createLogPageRouter({ store, clock, logger }));

    const maxAttempts = 8;
    const githubWebUrl = githubWebUrlFromApi(settings.github.apiUrl);
    const context: Omit<WebhookContext, 'finalAttempt'> = {
      config,
      github,
      githubWebUrl,
      announcer,
      store,
      clock,
      logger: logger.child({ component: 'webhooks' }),
      newId: randomUUID,
      ...connectDeployer(activeDeployer, logger.child({ component: 'deployer' })),
    };
    chat = wireChat({
      bolt: slack.bolt,
      client: slack.client,
      config,
      github,
      githubWebUrl,
      store,
      announcer,
      clock,
      newId: randomUUID,
      logger,
      onDeploymentCreated: context.onDeploymentCreated,
      // Waiting merged-PR deploys go out on unlock; one GitHub cannot take now stays for the lock sweep.
      onUnlocked: createLockReleaser({ ...context, finalAttempt: false }),
      cancel: async (target, by) => [...(await activeDeployer.cancel(target, by)).cancelled],
      lockSweepIntervalMs: options.lockSweepIntervalMs ?? 30_000,
    });
    const activeInbox = createInbox({
      store,
      handle: createDispatcher(context, coreHandlers, maxAttempts),
      clock,
      logger: context.logger,
      maxAttempts,
      retryDelayMs: options.webhookRetryDelayMs ?? ((attempt) => Math.min(60_000, 1_000 * 2 ** attempt)),
    });
    inbox = activeInbox;
    http.use(
      '/github/webhooks',
      createWebhookRouter({
        secret: settings.github.webhookSecret,
        bodyLimitBytes: settings.webhookBodyLimitBytes,
        store,
        clock,
        logger: context.logger,
        onDelivery: (delivery) => activeInbox.enqueue({ ...delivery, attempts: 0 }),
      }),
    );
    finishHttpApp(http, logger);

    await slack.start();
    server = createServer(http);
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(settings.port, () => resolve());
    });
    const port = (listening.address() as AddressInfo).port;
    await activeDeployer.start();
    await activeInbox.start();
    chat.start();
    logger.info({ port, slackMode: slack.mode, publicUrl: settings.publicUrl }, 'deploybot is listening');
    return { url: `http://127.0.0.1:${port}`, port };
  }

  async function stop(): Promise<void> {
    const running = server;
    server = undefined;
    if (running) {
      await new Promise<void>((resolve) => {
        running.close(() => resolve());
        running.closeAllConnections();
      });
    }
    chat?.stop();
    await inbox?.stop();
    await deployer?.stop();
    deployer = undefined;
    await slack?.stop();
    await store?.close();
    store = undefined;
  }

  return {
    start,
    stop,
    idle: async () => {
      await inbox?.idle();
    },
    sweep: async () => {
      await chat?.sweep();
    },
    cancelDeploy: async (target, by) => {
      if (!deployer) throw new DeploybotError('internal', 'deploybot is not running');
      return deployer.cancel(target, by);
    },
  };
}

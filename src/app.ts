import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RetryOptions } from '@slack/web-api';
import { createSlackAnnouncer } from './bot/announcer.js';
import { registerCommands } from './bot/commands.js';
import { createSlackApp, type SlackApp } from './bot/slack-app.js';
import type { Config } from './config/config-file.js';
import type { Settings } from './config/settings.js';
import { type Clock, systemClock } from './core/clock.js';
import { DeploybotError } from './core/errors.js';
import { createGitHubClient, type GitHubAuth } from './github/client.js';
import { createHttpApp, finishHttpApp } from './http/server.js';
import type { Logger } from './logger.js';
import { openDatabase } from './store/database.js';
import { createStore, type Store } from './store/store.js';
import type { WebhookContext } from './webhooks/context.js';
import { coreHandlers, createDispatcher } from './webhooks/dispatch.js';
import { createInbox, type Inbox } from './webhooks/inbox.js';
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
  const clock = options.clock ?? systemClock;
  const fetchFn = options.fetch ?? globalThis.fetch;
  let server: Server | undefined;
  let store: Store | undefined;
  let slack: SlackApp | undefined;
  let inbox: Inbox | undefined;

  async function start(): Promise<RunningApp> {
    const db = await openDatabase(settings.database);
    store = createStore(db);
    const github = createGitHubClient({
      auth: githubAuthOf(settings),
      baseUrl: settings.github.apiUrl,
      fetch: fetchFn,
      logger: logger.child({ component: 'github' }),
      userAgent: 'deploybot',
      retryBaseMs: options.githubRetryBaseMs ?? 1_000,
      retries: 3,
      writeIntervalMs: options.githubWriteIntervalMs ?? 1_000,
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
    registerCommands(slack.bolt, { logger });

    const maxAttempts = 8;
    const context: Omit<WebhookContext, 'finalAttempt'> = {
      config,
      github,
      announcer,
      store,
      clock,
      logger: logger.child({ component: 'webhooks' }),
      newId: randomUUID,
      onDeploymentCreated: async () => undefined,
    };
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
    await activeInbox.start();
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
    await inbox?.stop();
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
  };
}

function githubAuthOf(settings: Settings): GitHubAuth {
  const { token, app } = settings.github;
  if (token !== undefined) return { kind: 'token', token };
  if (app?.installationId !== undefined) {
    return { kind: 'app', appId: app.appId, privateKey: app.privateKey, installationId: app.installationId };
  }
  // parseSettings refuses settings with neither.
  throw new DeploybotError('config_invalid', 'GITHUB_TOKEN or a GitHub App installation is required');
}

import { createSlackApp } from '../bot/slack-app.js';
import { createSlackChat } from '../bot/slack-chat.js';
import { createSlackHomeView } from '../bot/slack-home-view.js';
import { DeploybotError } from '../core/errors.js';
import { createGitHubClient, githubAuthOf } from '../github/client.js';
import { createGitHubPort } from '../github/github-port.js';
import { createGitHubIdentity } from '../github/identity.js';
import { githubWebUrlFromApi } from '../github/urls.js';
import { createCachedCheck } from '../http/cached-check.js';
import { createHttpApp } from '../http/server.js';
import { createPrometheusMetrics } from '../metrics/prometheus-metrics.js';
import { createDatabase } from '../store/database.js';
import { createStore } from '../store/store.js';
import type { AppOptions } from './app-options.js';

/**
 * The adapters, and the ports they provide: the store, metrics, GitHub, the HTTP app, Slack.
 * Nothing here does I/O; the database is opened, and Slack asked, when the app starts.
 */
export function buildAdapters(options: AppOptions, health: { readonly isReady: () => boolean }) {
  const { settings, config, logger, scheduler: clock, timings } = options;
  const db = createDatabase(settings.database, {
    onIdleConnectionError: (error) => logger.warn({ err: error }, 'a database connection dropped while idle'),
  });
  const store = createStore(db);
  const metrics = createPrometheusMetrics({
    jobs: store,
    locks: store,
    repositories: config.repos.map((repo) => repo.fullName),
    clock,
    log: logger.child({ component: 'metrics' }),
  });
  const githubAuth = githubAuthOf(settings.github);
  const githubClient = createGitHubClient({
    auth: githubAuth,
    baseUrl: settings.github.apiUrl,
    fetch: options.fetch,
    logger: logger.child({ component: 'github' }),
    userAgent: 'deploybot',
    clock,
    retryBaseMs: timings.githubRetryBaseMs,
    retries: 3,
    writeIntervalMs: timings.githubWriteIntervalMs,
    metrics: metrics.port,
  });
  const pingStore = createCachedCheck(() => store.ping(), clock, timings.healthPingIntervalMs);
  const http = createHttpApp({
    health: async () => {
      if (!health.isReady())
        throw new DeploybotError('store_unavailable', 'deploybot is starting or stopping');
      await pingStore();
    },
    logger,
  });
  const slack = createSlackApp({
    botToken: settings.slack.botToken,
    signingSecret: settings.slack.signingSecret,
    appToken: settings.slack.appToken,
    apiUrl: settings.slack.apiUrl,
    http,
    logger,
    retryConfig: timings.slackRetry,
    fetch: options.fetch,
  });
  return {
    db,
    store,
    metrics,
    github: createGitHubPort(githubClient, githubAuth),
    githubWebUrl: githubWebUrlFromApi(settings.github.apiUrl),
    // Asked of GitHub in start (the deployer's), never while building.
    identity: createGitHubIdentity(githubClient, githubAuth),
    http,
    slack,
    chat: createSlackChat({ client: slack.client, clock, logger, metrics: metrics.port }),
    homeView: createSlackHomeView(slack.client),
  };
}

import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { registerChatListeners } from './bot/register-chat-listeners.js';
import { createSlackApp } from './bot/slack-app.js';
import { createSlackChat } from './bot/slack-chat.js';
import type { Settings } from './config/settings.js';
import type { MergeApproval } from './core/chat-deploy.js';
import type { Config } from './core/config.js';
import type { HostEnv } from './core/deploy-env.js';
import { LOG_PAGE_PREFIX } from './core/deploy-log-url.js';
import { DeploybotError } from './core/errors.js';
import type { Scheduler } from './core/scheduler.js';
import { createDeployerFromSettings } from './deployer/create-deployer-from-settings.js';
import { createAdmitChatUser } from './deploys/admit-chat-user.js';
import { createAnnounceDeploymentStatus } from './deploys/announce-deployment-status.js';
import { createAnswerDeployConfirmation } from './deploys/answer-deploy-confirmation.js';
import { createAnswerLockTakeover } from './deploys/answer-lock-takeover.js';
import { createApproveDeploy } from './deploys/approve-deploy.js';
import { createCancelChatDeploys } from './deploys/cancel-chat-deploys.js';
import { createDeployMerge } from './deploys/deploy-merge.js';
import { createDeployMergedPullRequest } from './deploys/deploy-merged-pull-request.js';
import type { Deployer } from './deploys/deployer.js';
import { createExpireLocks } from './deploys/expire-locks.js';
import { createLockEnvironment } from './deploys/lock-environment.js';
import { createRecheckCiWaits } from './deploys/recheck-ci-waits.js';
import { createReleaseLockWaits } from './deploys/release-lock-waits.js';
import { createRemindCiWaits } from './deploys/remind-ci-waits.js';
import { createRequestChatDeploy } from './deploys/request-chat-deploy.js';
import { createRequestMergeApproval } from './deploys/request-merge-approval.js';
import { createRequestRollback } from './deploys/request-rollback.js';
import { createShowHistory } from './deploys/show-history.js';
import { createShowWhere } from './deploys/show-where.js';
import { createUnlockEnvironment } from './deploys/unlock-environment.js';
import { createWatchFreezes } from './deploys/watch-freezes.js';
import { createWatchLockExpiry } from './deploys/watch-lock-expiry.js';
import { createWatchStuckDeployments } from './deploys/watch-stuck-deployments.js';
import { createGitHubClient, githubAuthOf } from './github/client.js';
import { createGitHubPort } from './github/github-port.js';
import { createGitHubIdentity } from './github/identity.js';
import { githubWebUrlFromApi } from './github/urls.js';
import { createLogPageRouter } from './http/log-page.js';
import { createLogSignIn } from './http/log-sign-in.js';
import { createHttpApp, finishHttpApp } from './http/server.js';
import { SIGN_IN_PREFIX } from './http/slack-sign-in.js';
import type { Logger } from './logger.js';
import { createMetricsRouter } from './metrics/metrics-router.js';
import { createPrometheusMetrics } from './metrics/prometheus-metrics.js';
import { createDatabase, migrateDatabase } from './store/database.js';
import { createStore } from './store/store.js';
import type { Timings } from './timings.js';
import { createDispatcher } from './webhooks/dispatch.js';
import { createInbox, type Inbox } from './webhooks/inbox.js';
import { createWebhookRouter } from './webhooks/receiver.js';
import { createWebhookHandlers } from './webhooks/webhook-handlers.js';

export interface AppOptions {
  readonly settings: Settings;
  readonly config: Config;
  readonly logger: Logger;
  /** Time for everything: the system scheduler in production. */
  readonly scheduler: Scheduler;
  readonly fetch: typeof globalThis.fetch;
  /** Every wait deploybot makes: DEFAULT_TIMINGS in production. */
  readonly timings: Timings;
  /** PATH and HOME of deploy scripts: deploybot's own, which main.ts reads from the environment. */
  readonly deployHost: HostEnv;
  /** Where relative clone_url paths and script commands are resolved: deploybot's working directory. */
  readonly workDir: string;
}

export interface RunningApp {
  readonly url: string;
  readonly port: number;
}

export interface DeploybotApp {
  /** Opens the store, connects to Slack, listens, and starts the deployer, the inbox and the chores. */
  start(): Promise<RunningApp>;
  stop(): Promise<void>;
}

/** The parts of the graph that live on after it is built: what a harness or an operator tool may hold. */
export interface AppGraph extends DeploybotApp {
  readonly deployer: Deployer;
  readonly inbox: Inbox;
  /** The periodic chores, run once now. */
  runChores(): Promise<void>;
}

/** A delivery is tried this often before a transient failure is announced instead of retried. */
const WEBHOOK_MAX_ATTEMPTS = 8;

/**
 * The composition root: adapters, then the ports they provide, then the use cases over those
 * ports, then the transports that call them. Building does no I/O; `start` does it all.
 */
export function buildApp(options: AppOptions): AppGraph {
  const { settings, config, logger, scheduler, timings } = options;
  const clock = scheduler;
  const newId = randomUUID;

  // Adapters, and the ports they provide.
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
  const githubWebUrl = githubWebUrlFromApi(settings.github.apiUrl);
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
  const github = createGitHubPort(githubClient, githubAuth);
  // Asked of GitHub in start (the deployer's), never while building.
  const identity = createGitHubIdentity(githubClient, githubAuth);
  // Healthy once started and until stopping, so a load balancer sends nothing to a process
  // still starting or already draining.
  let ready = false;
  const http = createHttpApp({
    health: async () => {
      if (!ready) throw new DeploybotError('store_unavailable', 'deploybot is starting or stopping');
      await store.ping();
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
  const chat = createSlackChat({ client: slack.client, clock, logger, metrics: metrics.port });

  // Use cases: the deployer first, since the others hand it what they create.
  const deployer = createDeployerFromSettings({
    settings,
    config,
    store,
    github,
    identity,
    githubWebUrl,
    scheduler,
    log: logger,
    fetch: options.fetch,
    // Scripts get deploybot's PATH and HOME and nothing else of its environment.
    host: options.deployHost,
    baseDir: options.workDir,
    tmpDir: tmpdir(),
    runnerId: randomUUID(),
    newToken: () => randomBytes(24).toString('base64url'),
    tuning: timings.deployer,
    metrics: metrics.port,
  });
  const webhookLog = logger.child({ component: 'webhooks' });
  const ciReminders = createRemindCiWaits({
    store,
    chat,
    scheduler,
    log: logger.child({ component: 'watchdog' }),
  });
  const deployMerge = createDeployMerge({
    config,
    onWaitingForChecks: ciReminders.watch,
    github,
    chat,
    store,
    clock,
    newId,
    onDeploymentCreated: deployer.deploymentCreated,
    // Bound late: the approval request is a chat flow, built below over the same ports.
    approvals: { config, request: (input) => requestMergeApproval(input) },
  });
  // Waiting merged-PR deploys go out on unlock; one GitHub cannot take now stays for the lock sweep.
  const releaseLockWaits = createReleaseLockWaits({
    config,
    store,
    chat,
    clock,
    deployMerge,
    log: webhookLog,
  });
  const watchFreezes = createWatchFreezes({
    config,
    chat,
    scheduler,
    log: logger.child({ component: 'freezes' }),
    onThawed: (repository, environment) => releaseLockWaits(repository, environment, true),
  });
  const chatLog = logger.child({ component: 'chat' });
  const chatDeps = {
    config,
    github,
    chat,
    store,
    clock,
    newId,
    githubWebUrl,
    log: chatLog,
    onDeploymentCreated: deployer.deploymentCreated,
    onUnlocked: async (repository: string, environment: string) => {
      // Deploy jobs that waited for the lock may start, as waiting merged-PR deploys go out.
      deployer.unlocked();
      await releaseLockWaits(repository, environment);
    },
    onLocked: () => lockExpiry.nudge(),
    deployApprovedMerge: (merge: MergeApproval, channel: string) =>
      deployMerge({
        request: merge.request,
        channel,
        repositoryUrl: merge.repositoryUrl,
        // No delivery to retry: GitHub's trouble is announced, not thrown.
        finalAttempt: true,
        log: webhookLog,
      }),
  };
  const requestMergeApproval = createRequestMergeApproval(chatDeps);
  const requestChatDeploy = createRequestChatDeploy(chatDeps);
  const expireLocks = createExpireLocks(chatDeps);
  // Lapses are announced at expiry; the periodic sweep stays as the backstop (and releases waits).
  const lockExpiry = createWatchLockExpiry({
    config,
    store,
    scheduler,
    log: chatLog,
    expireLocks,
  });

  // Transports: Slack listeners, the webhook inbox and receiver, the log pages.
  registerChatListeners(
    slack.bolt,
    {
      admitChatUser: createAdmitChatUser(chatDeps),
      requestChatDeploy,
      requestRollback: createRequestRollback({ ...chatDeps, requestChatDeploy }),
      showWhere: createShowWhere(chatDeps),
      showHistory: createShowHistory(chatDeps),
      lockEnvironment: createLockEnvironment(chatDeps),
      unlockEnvironment: createUnlockEnvironment(chatDeps),
      cancelChatDeploys: createCancelChatDeploys({
        ...chatDeps,
        cancelDeploys: async (target, by) => [...(await deployer.cancel(target, by)).cancelled],
      }),
      answerDeployConfirmation: createAnswerDeployConfirmation(chatDeps),
      approveDeploy: createApproveDeploy(chatDeps),
      answerLockTakeover: createAnswerLockTakeover(chatDeps),
    },
    { config, logger: chatLog, clock },
  );
  const stuckWatch = createWatchStuckDeployments({
    config,
    chat,
    scheduler,
    logs: store,
    log: logger.child({ component: 'watchdog' }),
  });
  const handlers = createWebhookHandlers(
    {
      deployMergedPullRequest: createDeployMergedPullRequest({ config, deployMerge }),
      recheckCiWaits: createRecheckCiWaits({ store, deployMerge }),
      announceDeploymentStatus: createAnnounceDeploymentStatus({
        config,
        chat,
        store,
        clock,
        identity,
        onAnnounced: stuckWatch.observe,
      }),
      onDeploymentEvent: deployer.deploymentArrived,
    },
    { repositoryUrl: (fullName) => `${githubWebUrl}/${fullName}` },
  );
  const inbox = createInbox({
    store,
    handle: createDispatcher({ handlers, maxAttempts: WEBHOOK_MAX_ATTEMPTS, logger: webhookLog }),
    scheduler,
    logger: webhookLog,
    maxAttempts: WEBHOOK_MAX_ATTEMPTS,
    retryDelayMs: timings.webhookRetryDelayMs,
    metrics: metrics.port,
  });
  const signIn = createLogSignIn(settings, { chat, clock, fetch: options.fetch, logger });
  if (signIn) http.use(SIGN_IN_PREFIX, signIn.router);
  http.use(
    LOG_PAGE_PREFIX,
    createLogPageRouter({
      store,
      clock,
      logger,
      ...(signIn ? { requireSession: signIn.requireSession } : {}),
    }),
  );
  http.use(
    '/github/webhooks',
    createWebhookRouter({
      secret: settings.github.webhookSecret,
      bodyLimitBytes: settings.webhookBodyLimitBytes,
      store,
      clock,
      logger: webhookLog,
      handles: (event) => Object.hasOwn(handlers, event),
      onDelivery: (delivery) => inbox.enqueue({ ...delivery, attempts: 0 }),
      metrics: metrics.port,
    }),
  );
  http.use(
    '/metrics',
    createMetricsRouter({ registry: metrics.registry, token: settings.metricsToken, logger }),
  );
  finishHttpApp(http, logger);

  let server: Server | undefined;
  let stopChores: (() => void) | undefined;
  const stopWatching = new AbortController();
  let stopping: Promise<void> | undefined;

  async function start(): Promise<RunningApp> {
    await migrateDatabase(db, settings.database);
    await slack.start();
    const listening = createServer(http);
    server = listening;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(settings.port, () => resolve());
    });
    const port = (listening.address() as AddressInfo).port;
    await deployer.start();
    await inbox.start();
    stopChores = scheduler.every(timings.lockSweepIntervalMs, expireLocks, (error) =>
      chatLog.error({ err: error }, 'could not expire locks'),
    );
    void watchFreezes(stopWatching.signal);
    void lockExpiry.run(stopWatching.signal);
    ready = true;
    logger.info({ port, slackMode: slack.mode, publicUrl: settings.publicUrl }, 'deploybot is listening');
    return { url: `http://127.0.0.1:${port}`, port };
  }

  /** Stops once however often it is asked: a signal and a failed start may both ask. */
  function stop(): Promise<void> {
    stopping ??= stopAll();
    return stopping;
  }

  async function stopAll(): Promise<void> {
    ready = false;
    const running = server;
    server = undefined;
    if (running) {
      await new Promise<void>((resolve) => {
        running.close(() => resolve());
        running.closeAllConnections();
      });
    }
    stopChores?.();
    stopChores = undefined;
    stopWatching.abort();
    stuckWatch.stop();
    ciReminders.stop();
    await inbox.stop();
    await deployer.stop();
    await slack.stop();
    await store.close();
  }

  return { start, stop, deployer, inbox, runChores: () => expireLocks() };
}

/** deploybot as main.ts runs it: started and stopped, nothing else. */
export function createApp(options: AppOptions): DeploybotApp {
  const { start, stop } = buildApp(options);
  return { start, stop };
}

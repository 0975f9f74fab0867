import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { registerChatListeners } from './bot/register-chat-listeners.js';
import { createSlackRoutes } from './bot/slack-routes.js';
import type { AppOptions } from './compose/app-options.js';
import { buildAdapters } from './compose/build-adapters.js';
import { buildChatUseCases } from './compose/build-chat-use-cases.js';
import { buildChores } from './compose/build-chores.js';
import { buildDeployer } from './compose/build-deployer.js';
import { buildHome } from './compose/build-home.js';
import { buildWebhooks } from './compose/build-webhooks.js';
import { holdEmbeddedStore } from './compose/hold-embedded-store.js';
import { mountHttpRoutes } from './compose/mount-http-routes.js';
import { scheduleMemoryTrims } from './compose/schedule-memory-trims.js';
import type { MergeApproval } from './core/chat-deploy.js';
import { formatRunnerId } from './core/runner-id.js';
import { createAnnounceDeploymentStatus } from './deploys/announce-deployment-status.js';
import { createDeployMerge } from './deploys/deploy-merge.js';
import type { Deployer } from './deploys/deployer.js';
import { createExpireLocks } from './deploys/expire-locks.js';
import { createReadRecentDeployments } from './deploys/read-recent-deployments.js';
import { createReleaseLockWaits } from './deploys/release-lock-waits.js';
import { createRemindCiWaits } from './deploys/remind-ci-waits.js';
import { createRequestChatDeploy } from './deploys/request-chat-deploy.js';
import { createRequestMergeApproval } from './deploys/request-merge-approval.js';
import { createWatchFreezes } from './deploys/watch-freezes.js';
import { createWatchLockExpiry } from './deploys/watch-lock-expiry.js';
import { createWatchStuckDeployments } from './deploys/watch-stuck-deployments.js';
import { type ListeningHttp, listenHttp } from './http/listen-http.js';
import { routeWebhooks } from './http/server.js';
import { migrateDatabase } from './store/database.js';
import type { Inbox } from './webhooks/inbox.js';

export type { AppOptions } from './compose/app-options.js';

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

/**
 * The composition root: adapters, then the ports they provide, then the use cases over those
 * ports, then the transports that call them. Building does no I/O; `start` does it all.
 */
export function buildApp(options: AppOptions): AppGraph {
  const { settings, config, logger, scheduler, timings } = options;
  const clock = scheduler;
  const newId = randomUUID;
  // Names this process in what it claims: host and pid tell another process whether it is gone.
  const runnerId = formatRunnerId(hostname(), process.pid, randomUUID());

  // Adapters, and the ports they provide.
  const adapters = buildAdapters(options, { isReady: () => ready });
  const { db, store, metrics, github, githubWebUrl, identity, http, slack, chat, homeView } = adapters;
  // Healthy once started and until stopping, so a load balancer sends nothing to a process
  // still starting or already draining.
  let ready = false;

  // Use cases: the deployer first, since the others hand it what they create.
  const deployer = buildDeployer(options, {
    store,
    github,
    chat,
    identity,
    githubWebUrl,
    runnerId,
    metrics: metrics.port,
  });
  const webhookLog = logger.child({ component: 'webhooks' });
  // The App Home boards, republished when a deployment, lock, freeze, queue or CI wait changes.
  // Statuses seen by webhook come from the store: what runs where costs a GitHub call per environment.
  const recentDeployments = createReadRecentDeployments({ github, statuses: store });
  const home = buildHome({
    config,
    github,
    recentDeployments,
    chat,
    store,
    scheduler,
    githubWebUrl,
    homeView,
    logger,
    timings,
  });
  const { homeBoards } = home;
  const deploymentCreated: Deployer['deploymentCreated'] = async (repository, created) => {
    await deployer.deploymentCreated(repository, created);
    homeBoards.changed({ repository, environment: created.environment });
  };
  const ciReminders = createRemindCiWaits({
    store,
    chat,
    scheduler,
    log: logger.child({ component: 'watchdog' }),
  });
  const deployMerge = createDeployMerge({
    config,
    onWaitingForChecks: (pending) => {
      ciReminders.watch(pending);
      homeBoards.changed();
    },
    github,
    chat,
    store,
    clock,
    newId,
    onDeploymentCreated: deploymentCreated,
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
    onChanged: () => homeBoards.changed(),
  });
  const chatLog = logger.child({ component: 'chat' });
  const chatDeps = {
    config,
    github,
    recentDeployments,
    chat,
    store,
    clock,
    newId,
    githubWebUrl,
    log: chatLog,
    onDeploymentCreated: deploymentCreated,
    onUnlocked: async (repository: string, environment: string) => {
      homeBoards.changed();
      // Deploy jobs that waited for the lock may start, as waiting merged-PR deploys go out.
      deployer.unlocked();
      await releaseLockWaits(repository, environment);
    },
    onLocked: () => {
      lockExpiry.nudge();
      homeBoards.changed();
    },
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
  const chatUseCases = buildChatUseCases(chatDeps, { requestChatDeploy, cancelDeploys: deployer.cancel });
  const routes = createSlackRoutes(slack.bolt);
  registerChatListeners(routes, chatUseCases, { config, logger: chatLog, clock });
  home.register(routes, chatUseCases);
  const stuckWatch = createWatchStuckDeployments({
    config,
    chat,
    scheduler,
    logs: store,
    log: logger.child({ component: 'watchdog' }),
  });
  const repositoryUrl = (fullName: string) => `${githubWebUrl}/${fullName}`;
  const announceDeploymentStatus = createAnnounceDeploymentStatus({
    config,
    chat,
    store,
    clock,
    identity,
    onAnnounced: (seen) => {
      stuckWatch.observe(seen);
      homeBoards.changed(seen.deployment);
    },
  });
  const chores = buildChores(options, {
    store,
    github,
    chat,
    repositoryUrl,
    deployMerge,
    // Bound late: the inbox, built below, handles what reconciliation finds.
    onReconciled: () => inbox.nudge(),
    expireLocks,
  });
  const { inbox, receiver: webhookReceiver } = buildWebhooks(options, {
    store,
    deployer,
    deployMerge,
    announceDeploymentStatus,
    repositoryUrl,
    runnerId,
    log: webhookLog,
    metrics: metrics.port,
  });
  mountHttpRoutes(http, options, { store, chat, registry: metrics.registry });

  let server: ListeningHttp | undefined;
  const stopWatching = new AbortController();
  let stopping: Promise<void> | undefined;
  let releaseSqlite: (() => Promise<void>) | undefined;
  let stopTrims: (() => void) | undefined;

  async function start(): Promise<RunningApp> {
    await migrateDatabase(db, settings.database);
    releaseSqlite = await holdEmbeddedStore(options, store, runnerId);
    await slack.start();
    server = await listenHttp(settings.port, routeWebhooks(webhookReceiver, http));
    const { port } = server;
    await deployer.start();
    inbox.start();
    chores.start();
    void watchFreezes(stopWatching.signal);
    void lockExpiry.run(stopWatching.signal);
    stopTrims = scheduleMemoryTrims({
      scheduler,
      memory: options.memory,
      timings: timings.memoryTrim,
      onError: (error) => logger.warn({ err: error }, 'could not give freed memory back'),
    });
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
    // /healthz answers 503 from now on, so a load balancer drains this process while its
    // deploys finish; the server closes once they did.
    ready = false;
    await chores.stop();
    stopWatching.abort();
    stopTrims?.();
    stuckWatch.stop();
    homeBoards.stop();
    ciReminders.stop();
    await inbox.stop();
    await deployer.stop();
    await server?.close();
    server = undefined;
    await slack.stop();
    await releaseSqlite?.().catch((error: unknown) =>
      logger.warn({ err: error }, 'could not give up the hold on the SQLite database'),
    );
    await store.close();
  }

  return { start, stop, deployer, inbox, runChores: () => chores.runAll() };
}

/** deploybot as main.ts runs it: started and stopped, nothing else. */
export function createApp(options: AppOptions): DeploybotApp {
  const { start, stop } = buildApp(options);
  return { start, stop };
}

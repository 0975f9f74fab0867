import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app.js';
import { parseConfig } from '../../src/config/config-file.js';
import { parseSettings, type Settings } from '../../src/config/settings.js';
import type { Clock, Scheduler } from '../../src/core/scheduler.js';
import type { DeployerTuning } from '../../src/deployer/create-deployer-from-settings.js';
import type { CancelResult, CancelTarget } from '../../src/deploys/cancel-deploy-jobs.js';
import { createLogger } from '../../src/logger.js';
import { createProcessMemory } from '../../src/process-memory.js';
import { type GitHubStandIn, startGitHubStandIn } from '../../src/stand-ins/github-stand-in.js';
import { type SlackStandIn, startSlackStandIn } from '../../src/stand-ins/slack-stand-in.js';
import type { DatabaseSetting } from '../../src/store/database.js';
import { createSystemScheduler } from '../../src/system-scheduler.js';
import { DEFAULT_TIMINGS, type Timings } from '../../src/timings.js';
import { findLeakedSecrets, listConfiguredSecrets } from './secret-scan.js';

export const SECRETS = {
  slackBotToken: 'xoxb-test-bot-token-5f2a',
  slackSigningSecret: 'slack-signing-secret-9c1e',
  slackAppToken: 'xapp-1-test-app-token-77b0',
  githubToken: 'ghp_testGitHubToken0123456789abcdef',
  githubWebhookSecret: 'github-webhook-secret-31d4',
  /** Set only by the tests of Sign in with Slack (SLACK_CLIENT_SECRET); scanned for everywhere. */
  slackClientSecret: 'slack-client-secret-4e8d',
} as const;

/** Production's waits, shortened so retries take milliseconds. */
export const TEST_TIMINGS: Timings = {
  ...DEFAULT_TIMINGS,
  slackRetry: { retries: 10, minTimeout: 5, maxTimeout: 20, factor: 1 },
  githubRetryBaseMs: 5,
  githubWriteIntervalMs: 0,
  webhookRetryDelayMs: () => 50,
  inbox: {
    leaseTtlMs: 5_000,
    pollIntervalMs: 100,
    minClaimGapMs: 5,
    storeRetryDelayMs: () => 50,
    pressedClaimGapMs: 50,
  },
  healthPingIntervalMs: 100,
  // Off so GitHub sees only the calls a test causes; the missed-webhooks tests turn it on.
  chores: { ...DEFAULT_TIMINGS.chores, reconcileAtStart: false, reconcileGraceMs: 0 },
  deployer: { ...DEFAULT_TIMINGS.deployer, leaseTtlMs: 3_000, heartbeatIntervalMs: 250 },
};

/** The settings that point deploybot at the stand-ins, with the test secrets. */
export function standInEnv(
  github: { readonly url: string },
  slack: { readonly apiUrl: string },
): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: SECRETS.slackBotToken,
    SLACK_SIGNING_SECRET: SECRETS.slackSigningSecret,
    SLACK_API_URL: slack.apiUrl,
    GITHUB_TOKEN: SECRETS.githubToken,
    GITHUB_WEBHOOK_SECRET: SECRETS.githubWebhookSecret,
    GITHUB_API_URL: github.url,
  };
}

export const DEFAULT_CONFIG = `
slack:
  channel: C0DEPLOYS
github:
  owner: octo-org
users:
  U0ALICE: alice
repos:
  octo-org/web:
    channel: C0WEB
    environments:
      staging:
        aliases: [stg]
        deploy_on_merge: main
        url: https://staging.example.com
      production:
        aliases: [prod]
        deploy_on_merge: release
        required_contexts: [ci/build]
  octo-org/api:
    environments:
      production:
        deploy_on_merge: main
`;

export interface HarnessOptions {
  readonly config?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly socketMode?: boolean;
  /** Waits over the harness's fast ones (TEST_TIMINGS). */
  readonly timings?: Partial<Omit<Timings, 'deployer'>> & { readonly deployer?: Partial<DeployerTuning> };
  /** The time deploybot reads; the real time when absent. Waits and chores keep real timers. */
  readonly clock?: Clock;
  /** The database over DATABASE_URL's default (a SQLite file in the data directory). */
  readonly database?: DatabaseSetting;
  /** Time and every wait, e.g. a manual scheduler a test moves by hand; overrides `clock`. */
  readonly scheduler?: Scheduler;
  /** Reuse a data directory, to start a second app on the same store. */
  readonly dataDir?: string;
  readonly github?: GitHubStandIn;
  readonly slack?: SlackStandIn;
  /** More values stop() must find nowhere, besides SECRETS and the providers' env and headers. */
  readonly secrets?: readonly string[];
}

/** What tests do with the app besides its HTTP endpoints, through the parts of its graph. */
export interface HarnessApp {
  /** Resolves when every received webhook has been handled. */
  idle(): Promise<void>;
  /** Runs the periodic chores once, now. */
  sweep(): Promise<void>;
  cancelDeploy(target: CancelTarget, by: string): Promise<CancelResult>;
  /** Stops deploybot only, leaving the stand-ins and the data directory. */
  stop(): Promise<void>;
}

export interface Harness {
  readonly app: HarnessApp;
  readonly url: string;
  readonly github: GitHubStandIn;
  readonly slack: SlackStandIn;
  readonly settings: Settings;
  readonly dataDir: string;
  /** Every line deploybot logged, as JSON text. */
  readonly logs: string[];
  readonly webhookUrl: string;
  /** Sends a webhook to deploybot, signed as GitHub signs it. */
  sendWebhook(
    event: string,
    payload: unknown,
    opts?: { contentType?: 'json' | 'form' | undefined; deliveryId?: string | undefined },
  ): Promise<{ status: number; body: string; deliveryId: string }>;
  /**
   * Stops deploybot and the stand-ins, then fails if any secret (SECRETS, the providers' env
   * and header values) shows in a log line, a deploy log, or what deploybot sent Slack or GitHub.
   */
  stop(): Promise<void>;
}

/** Boots deploybot as `npm start` does, against stand-in Slack and GitHub servers on loopback. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const github =
    options.github ??
    (await startGitHubStandIn({ token: SECRETS.githubToken, webhookSecret: SECRETS.githubWebhookSecret }));
  const slack =
    options.slack ??
    (await startSlackStandIn({
      botToken: SECRETS.slackBotToken,
      appToken: SECRETS.slackAppToken,
      clientSecret: SECRETS.slackClientSecret,
    }));
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'deploybot-test-')));
  const env: Record<string, string> = {
    PORT: '0',
    ...standInEnv(github, slack),
    DATABASE_URL: `sqlite:${join(dataDir, 'deploybot.sqlite')}`,
    LOG_LEVEL: 'debug',
    // A stop ends running deploys at once unless a test asks for a grace period.
    SHUTDOWN_GRACE_SECONDS: '0',
    ...(options.socketMode ? { SLACK_APP_TOKEN: SECRETS.slackAppToken } : {}),
    ...options.env,
  };
  const parsed = parseSettings(env, dataDir);
  const settings = options.database ? { ...parsed, database: options.database } : parsed;
  const config = parseConfig(options.config ?? DEFAULT_CONFIG, 'deploybot.yml');
  const logs: string[] = [];
  const logger = createLogger({
    level: settings.logLevel,
    destination: { write: (line: string) => logs.push(line) },
  });
  const system = createSystemScheduler();
  const clock = options.clock;
  const app = buildApp({
    settings,
    config,
    logger,
    scheduler: options.scheduler ?? (clock ? { ...system, now: () => clock.now() } : system),
    fetch: globalThis.fetch,
    memory: createProcessMemory(),
    timings: {
      ...TEST_TIMINGS,
      // A hand-moved clock does not move between two claims: they follow one another at once.
      ...(options.scheduler ? { inbox: { ...TEST_TIMINGS.inbox, minClaimGapMs: 0 } } : {}),
      ...options.timings,
      deployer: { ...TEST_TIMINGS.deployer, ...options.timings?.deployer },
    },
    deployHost: { path: process.env.PATH ?? '/usr/bin:/bin', home: homedir() },
    workDir: dataDir,
  });
  let running: Awaited<ReturnType<typeof app.start>>;
  try {
    running = await app.start();
  } catch (error) {
    await app.stop();
    if (!options.github) await github.close();
    if (!options.slack) await slack.close();
    if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const webhookUrl = `${running.url}/github/webhooks`;
  github.webhookUrl = webhookUrl;
  return {
    app: {
      idle: () => app.inbox.idle(),
      sweep: () => app.runChores(),
      cancelDeploy: (target, by) => app.deployer.cancel(target, by),
      stop: () => app.stop(),
    },
    url: running.url,
    github,
    slack,
    settings,
    dataDir,
    logs,
    webhookUrl,
    sendWebhook: (event, payload, opts = {}) => {
      github.webhookUrl = webhookUrl;
      return github.sendWebhook(event, payload, opts);
    },
    async stop() {
      await app.stop();
      const secrets = listConfiguredSecrets([...Object.values(SECRETS), ...(options.secrets ?? [])], config);
      const leaks = findLeakedSecrets({ logs, github, slack, dataDir }, secrets);
      if (!options.github) await github.close();
      if (!options.slack) await slack.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
      if (leaks.length > 0) throw new Error(`deploybot leaked secrets:\n${leaks.join('\n')}`);
    },
  };
}

import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config/config-file.js';
import { parseSettings } from '../../../src/config/settings.js';
import { createDeployerFromSettings } from '../../../src/deployer/create-deployer-from-settings.js';
import type { Deployer } from '../../../src/deploys/deployer.js';
import type { SubmitResult } from '../../../src/deploys/submit-deploy-job.js';
import { createGitHubClient } from '../../../src/github/client.js';
import { createGitHubPort } from '../../../src/github/github-port.js';
import { createGitHubIdentity } from '../../../src/github/identity.js';
import { githubWebUrlFromApi } from '../../../src/github/urls.js';
import { createLogger } from '../../../src/logger.js';
import { type GitHubStandIn, startGitHubStandIn } from '../../../src/stand-ins/github-stand-in.js';
import { openDatabase } from '../../../src/store/database.js';
import { createStore, type Store } from '../../../src/store/store.js';
import { createSystemScheduler } from '../../../src/system-scheduler.js';
import { DEFAULT_TIMINGS } from '../../../src/timings.js';
import { createSqliteDatabase, type TestDatabase } from '../databases.js';
import { SECRETS } from '../harness.js';
import { createMemoryChat } from '../memory/memory-chat.js';
import { REPO } from './deploy-harness.js';

export interface RigOptions {
  /** deploybot.yml, given the directory the fixture script reports to. */
  readonly config: (resultDir: string) => string;
  /** The store the deployer sees, made from the real one: to make calls fail or wait. */
  readonly wrapStore?: (store: Store) => Store;
  /** How the deployer gets a token for git; GitHub's (the stand-in's) by default. */
  readonly gitToken?: (repository: string) => Promise<string>;
  /** Where git fetches get the GitHub token; the stand-in's web address by default. */
  readonly githubWebUrl?: string;
  /** deploybot's working directory; a fresh one by default. */
  readonly baseDir?: string;
  readonly sweepIntervalMs?: number;
  readonly logLimitBytes?: number;
}

export interface DeployerRig {
  readonly deployer: Deployer;
  /** The real store, unwrapped. */
  readonly store: Store;
  readonly github: GitHubStandIn;
  readonly resultDir: string;
  readonly baseDir: string;
  /** Every line the deployer logged, as JSON text. */
  readonly logs: string[];
  /** Creates a deployment on GitHub and hands it to the deployer, as its webhook would. */
  deploy(environment: string, sha?: string): Promise<{ id: number; result: SubmitResult }>;
  /** Stops the deployer and removes everything; safe to call twice. */
  close(): Promise<void>;
}

/**
 * The deployer alone, built as the app builds it, against a GitHub stand-in and a SQLite
 * store, for what the whole app cannot show: a store that fails, a GitHub token that cannot
 * be had. Not started: call `deployer.start()`.
 */
export async function createDeployerRig(options: RigOptions): Promise<DeployerRig> {
  const github = await startGitHubStandIn({
    token: SECRETS.githubToken,
    webhookSecret: SECRETS.githubWebhookSecret,
  });
  github.addRepository(REPO);
  const resultDir = await mkdtemp(join(tmpdir(), 'deploybot-results-'));
  const ownBaseDir =
    options.baseDir === undefined ? await mkdtemp(join(tmpdir(), 'deploybot-base-')) : undefined;
  const baseDir = options.baseDir ?? (ownBaseDir as string);
  const database: TestDatabase = await createSqliteDatabase();
  const store = createStore(await openDatabase(database.setting));
  const seen = options.wrapStore ? options.wrapStore(store) : store;
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => logs.push(line) } });
  const auth = { kind: 'token', token: SECRETS.githubToken } as const;
  const client = createGitHubClient({
    auth,
    baseUrl: github.url,
    fetch: globalThis.fetch,
    logger,
    userAgent: 'deploybot',
    retryBaseMs: 5,
    retries: 3,
    writeIntervalMs: 0,
    clock: { now: () => Date.now() },
  });
  const port = createGitHubPort(client, auth);
  const settings = parseSettings(
    {
      SLACK_BOT_TOKEN: SECRETS.slackBotToken,
      SLACK_SIGNING_SECRET: SECRETS.slackSigningSecret,
      GITHUB_TOKEN: SECRETS.githubToken,
      GITHUB_WEBHOOK_SECRET: SECRETS.githubWebhookSecret,
      GITHUB_API_URL: github.url,
      PUBLIC_URL: 'http://localhost',
      // The store is opened above; this one is never opened.
      DATABASE_URL: `sqlite:${join(resultDir, 'unused.sqlite')}`,
      DEPLOY_CONCURRENCY: '4',
      // A stop ends what runs at once, as these tests expect.
      SHUTDOWN_GRACE_SECONDS: '0',
      DEPLOY_LOG_LIMIT_BYTES: String(options.logLimitBytes ?? 1024 * 1024),
    },
    baseDir,
  );
  let tokens = 0;
  const deployer = createDeployerFromSettings({
    settings,
    config: parseConfig(options.config(resultDir), 'deploybot.yml'),
    store: seen,
    github: options.gitToken ? { ...port, gitToken: options.gitToken } : port,
    chat: createMemoryChat(),
    identity: createGitHubIdentity(client, auth),
    githubWebUrl: options.githubWebUrl ?? githubWebUrlFromApi(settings.github.apiUrl),
    scheduler: createSystemScheduler(),
    log: logger,
    fetch: globalThis.fetch,
    host: { path: process.env.PATH ?? '/usr/bin:/bin', home: homedir() },
    baseDir,
    tmpDir: tmpdir(),
    runnerId: `${hostname()}:${process.pid}:rig`,
    newToken: () => `token-${++tokens}`,
    tuning: {
      ...DEFAULT_TIMINGS.deployer,
      killGraceMs: 2_000,
      logFlushMs: 20,
      statusRetryDelayMs: () => 50,
      storeRetryDelayMs: () => 20,
      sweepIntervalMs: options.sweepIntervalMs ?? 60_000,
      heartbeatIntervalMs: options.sweepIntervalMs ?? 60_000,
    },
  });
  let closed = false;
  return {
    deployer,
    store,
    github,
    resultDir,
    baseDir,
    logs,
    async deploy(environment, sha = 'a'.repeat(40)) {
      // As deploybot's own (the stand-in's login for its token), so deploybot's rules let it run.
      const created = github.createDeploymentDirectly(REPO, {
        ref: 'main',
        sha,
        environment,
        creator: 'deploybot[bot]',
      });
      const result = await deployer.submit({
        repository: REPO,
        id: created.id,
        sha: created.sha,
        ref: created.ref,
        environment: created.environment,
        task: created.task,
        payload: created.payload,
        creator: created.creator.login,
        createdAt: created.created_at,
      });
      return { id: created.id, result };
    },
    async close() {
      if (closed) return;
      closed = true;
      await deployer.stop();
      await store.close();
      await database.drop();
      await github.close();
      await rm(resultDir, { recursive: true, force: true });
      if (ownBaseDir) await rm(ownBaseDir, { recursive: true, force: true });
    },
  };
}

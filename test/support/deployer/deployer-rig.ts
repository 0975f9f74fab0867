import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config/config-file.js';
import type { GitAccess } from '../../../src/deployer/checkout.js';
import { createDeployer, type Deployer, type SubmitResult } from '../../../src/deployer/deployer.js';
import { createStatusPoster } from '../../../src/deployer/status-poster.js';
import { createGitHubClient } from '../../../src/github/client.js';
import { createLogger } from '../../../src/logger.js';
import { openDatabase } from '../../../src/store/database.js';
import { createStore, type Store } from '../../../src/store/store.js';
import { createSqliteDatabase, type TestDatabase } from '../databases.js';
import { type GitHubStandIn, startGitHubStandIn } from '../github-stand-in.js';
import { SECRETS } from '../harness.js';
import { REPO } from './deploy-harness.js';

export interface RigOptions {
  /** deploybot.yml, given the directory the fixture script reports to. */
  readonly config: (resultDir: string) => string;
  /** The store the deployer sees, made from the real one: to make calls fail or wait. */
  readonly wrapStore?: (store: Store) => Store;
  readonly gitAccess?: GitAccess;
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
  const client = createGitHubClient({
    auth: { kind: 'token', token: SECRETS.githubToken },
    baseUrl: github.url,
    fetch: globalThis.fetch,
    logger,
    userAgent: 'deploybot',
    retryBaseMs: 5,
    retries: 3,
    writeIntervalMs: 0,
    clock: { now: () => Date.now() },
  });
  const publicUrl = 'http://localhost';
  const statuses = createStatusPoster({
    store: seen,
    github: client,
    logger,
    publicUrl,
    retryDelayMs: () => 50,
    storeRetryDelayMs: () => 20,
  });
  let tokens = 0;
  const deployer = createDeployer({
    store: seen,
    github: client,
    config: parseConfig(options.config(resultDir), 'deploybot.yml'),
    clock: { now: () => Date.now() },
    logger,
    fetch: globalThis.fetch,
    statuses,
    publicUrl,
    host: { path: process.env.PATH ?? '/usr/bin:/bin', home: homedir() },
    gitAccess: options.gitAccess ?? { githubWebUrl: github.url, token: async () => SECRETS.githubToken },
    baseDir,
    tmpDir: tmpdir(),
    secrets: [SECRETS.githubToken],
    logLimitBytes: options.logLimitBytes ?? 1024 * 1024,
    logFlushMs: 20,
    killGraceMs: 2_000,
    storeRetryDelayMs: () => 20,
    sweepIntervalMs: options.sweepIntervalMs ?? 60_000,
    concurrency: 4,
    runnerId: 'rig',
    newToken: () => `token-${++tokens}`,
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
      const created = github.createDeploymentDirectly(REPO, { ref: 'main', sha, environment });
      const result = await deployer.submit({
        repository: REPO,
        id: created.id,
        sha: created.sha,
        ref: created.ref,
        environment: created.environment,
        task: created.task,
        payload: created.payload,
        creator: created.creator.login,
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

type AsyncMethod = (...args: never[]) => Promise<unknown>;
type MethodName = { [K in keyof Store]: Store[K] extends AsyncMethod ? K : never }[keyof Store];

/** `store` with `method` failing its next `times` calls, as a store outage looks to deploybot. */
export function failNextCalls(store: Store, method: MethodName, times: number): Store {
  let left = times;
  const original = store[method] as unknown as (...args: unknown[]) => Promise<unknown>;
  const failing = async (...args: unknown[]) => {
    if (left > 0) {
      left -= 1;
      throw new Error(`the store is down (${method})`);
    }
    return original(...args);
  };
  return { ...store, [method]: failing };
}

export interface HeldCall {
  /** Resolves once the call was made and is being held. */
  readonly reached: Promise<void>;
  /** Lets it go on to the real store, or fail with `error`. */
  release(error?: Error): void;
}

/** `store` with the next call of `method` held until released, to act while it is in flight. */
export function holdNextCall(store: Store, method: MethodName): { store: Store; held: HeldCall } {
  let reach!: () => void;
  let release!: (error?: Error) => void;
  const reached = new Promise<void>((resolve) => {
    reach = resolve;
  });
  const released = new Promise<Error | undefined>((resolve) => {
    release = resolve;
  });
  let holding = true;
  const original = store[method] as unknown as (...args: unknown[]) => Promise<unknown>;
  const held = async (...args: unknown[]) => {
    if (holding) {
      holding = false;
      reach();
      const error = await released;
      if (error) throw error;
    }
    return original(...args);
  };
  return { store: { ...store, [method]: held }, held: { reached, release } };
}

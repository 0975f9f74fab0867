import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config, EnvironmentConfig, RepoConfig } from '../config/config-file.js';
import { findEnvironment, findRepo } from '../config/lookup.js';
import type { Clock } from '../core/clock.js';
import { type DeployFacts, type HostEnv, stripControlCharacters } from '../core/deploy-env.js';
import { checkDeployTarget } from '../core/deploy-intake.js';
import { buildLogUrl } from '../core/deploy-log-url.js';
import { selectSecrets } from '../core/deploy-mask.js';
import { type DeployOutcome, describeOutcome, outcomeFromError } from '../core/deploy-outcome.js';
import { DeploybotError, toDeploybotError } from '../core/errors.js';
import { readDeployUser, readPayloadObject } from '../core/payload.js';
import type { GitHubClient } from '../github/client.js';
import { getDeployment } from '../github/deployment-statuses.js';
import type { Logger } from '../logger.js';
import type { DeployJob } from '../store/deploy-jobs.js';
import type { Store } from '../store/store.js';
import {
  buildGitEnv,
  checkOutCommit,
  type GitAccess,
  gitBasicCredentials,
  resolveFetchUrl,
} from './checkout.js';
import { runHttp } from './http-provider.js';
import { createLogCapture, type LogCapture } from './log-capture.js';
import { runScript } from './script-provider.js';
import type { StatusPoster } from './status-poster.js';

// setTimeout fires at once for delays beyond 2^31 - 1 ms (about 24.8 days).
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Why a running deploy was stopped before it ended by itself. */
export type AbortReason =
  | { readonly kind: 'timeout'; readonly seconds: number }
  | { readonly kind: 'cancelled'; readonly by: string }
  | { readonly kind: 'stopping' };

export interface JobRunnerDeps {
  readonly store: Store;
  readonly github: GitHubClient;
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fetch: typeof globalThis.fetch;
  readonly statuses: StatusPoster;
  readonly publicUrl: string;
  readonly host: HostEnv;
  readonly gitAccess: GitAccess;
  /** Relative clone_url paths are relative to this directory. */
  readonly baseDir: string;
  /** Where working copies are made (and removed). */
  readonly tmpDir: string;
  /** deploybot's own secrets, masked in every log. */
  readonly secrets: readonly string[];
  readonly logLimitBytes: number;
  readonly logFlushMs: number;
  readonly killGraceMs: number;
}

/**
 * Runs one claimed job to its end and records the outcome; the final status is then owed
 * and posted. Every path, including a crash of deploybot's own code, ends in an outcome.
 */
export async function runJob(
  deps: JobRunnerDeps,
  job: DeployJob,
  controller: AbortController,
): Promise<void> {
  const { store, clock } = deps;
  const startedAt = clock.now();
  const log = deps.logger.child({ deployment: job.deploymentId, repository: job.repository });
  const target = findTarget(deps.config, job);
  const providerSecrets =
    target?.environment.provider.type === 'script'
      ? Object.values(target.environment.provider.env)
      : target?.environment.provider.type === 'http'
        ? Object.values(target.environment.provider.headers)
        : [];
  // Fetched before the log exists, so an App's installation token is masked like the rest.
  let gitToken: string | undefined;
  let preparation: unknown;
  if (target?.environment.provider.type === 'script' && target.environment.provider.checkout) {
    gitToken = await deps.gitAccess.token().catch((error: unknown) => {
      preparation = error;
      return undefined;
    });
  }
  const capture = createLogCapture({
    store,
    deploymentId: job.deploymentId,
    lastSeq: await store.lastDeployLogSeq(job.deploymentId),
    clock,
    logger: log,
    limitBytes: deps.logLimitBytes,
    secrets: selectSecrets([
      ...deps.secrets,
      ...providerSecrets,
      gitToken,
      gitToken && gitBasicCredentials(gitToken),
    ]),
    flushMs: deps.logFlushMs,
  });
  const timeoutSeconds =
    target && target.environment.provider.type !== 'external'
      ? target.environment.provider.timeoutSeconds
      : 0;
  const timer =
    timeoutSeconds > 0
      ? setTimeout(
          () => controller.abort({ kind: 'timeout', seconds: timeoutSeconds }),
          Math.min(timeoutSeconds * 1000, MAX_TIMER_MS),
        )
      : undefined;
  const onAbort = () => capture.note(describeAbort(controller.signal.reason as AbortReason));
  controller.signal.addEventListener('abort', onAbort, { once: true });
  void deps.statuses.post(job, {
    state: 'pending',
    description: `deploying ${job.sha.slice(0, 7)} to ${job.environment}`,
  });
  log.info({ environment: job.environment, sha: job.sha }, 'deploy started');

  let outcome: DeployOutcome;
  try {
    if (preparation !== undefined) throw preparation;
    const result = await carryOut(deps, job, target, capture, controller.signal, gitToken);
    outcome = result === 'aborted' ? outcomeOfAbort(controller.signal) : result;
    // The whole deploy counts, checkout included, not just the provider's part.
    if (outcome.kind === 'succeeded') outcome = { kind: 'succeeded', durationMs: clock.now() - startedAt };
  } catch (thrown) {
    const error = toDeploybotError(thrown);
    if (controller.signal.aborted) outcome = outcomeOfAbort(controller.signal);
    else {
      if (error.code === 'internal') log.error({ err: error }, 'deploy crashed inside deploybot');
      outcome = outcomeFromError(error);
    }
  } finally {
    clearTimeout(timer);
    controller.signal.removeEventListener('abort', onAbort);
  }

  const described = describeOutcome(outcome);
  capture.note(`${described.state}: ${described.description}`);
  await capture.close();
  const finished = await store.finishDeployJob(
    job.deploymentId,
    'running',
    {
      ...described,
      ...(described.state === 'success' && target?.environment.url
        ? { environmentUrl: target.environment.url }
        : {}),
    },
    clock.now(),
  );
  log.info({ state: described.state, description: described.description, finished }, 'deploy ended');
  if (finished) await deps.statuses.settle(job.deploymentId);
}

interface Target {
  readonly repo: RepoConfig;
  readonly environment: EnvironmentConfig;
}

function findTarget(config: Config, job: DeployJob): Target | undefined {
  const repo = findRepo(config, job.repository);
  const environment = repo && findEnvironment(repo, job.environment);
  return repo && environment ? { repo, environment } : undefined;
}

async function carryOut(
  deps: JobRunnerDeps,
  job: DeployJob,
  target: Target | undefined,
  capture: LogCapture,
  signal: AbortSignal,
  gitToken: string | undefined,
): Promise<DeployOutcome | 'aborted'> {
  // Cancelled or stopped before it even began: nothing was started, nothing to stop.
  if (signal.aborted) return 'aborted';
  if (!target || target.environment.provider.type === 'external') {
    throw new DeploybotError('unknown_environment', `${job.environment} is no longer deployed by deploybot`);
  }
  const unsafe = checkDeployTarget(job);
  if (unsafe) throw unsafe;
  const facts = await readFacts(deps, job);
  capture.note(
    `deploying ${facts.repository} ${facts.sha} (${facts.ref}) to ${facts.environment} for ${facts.user}`,
  );
  const provider = target.environment.provider;
  if (provider.type === 'http') {
    return runHttp({ provider, facts, capture, signal, fetch: deps.fetch });
  }
  const onSpawn = (pid: number) => {
    deps.store.recordDeployJobPid(job.deploymentId, pid).catch((error: unknown) => {
      deps.logger.warn({ err: error, deployment: job.deploymentId }, 'could not record the deploy pid');
    });
  };
  const workDir = await mkdtemp(join(deps.tmpDir, `deploybot-${job.deploymentId}-`));
  try {
    await deps.store.recordDeployJobWorkDir(job.deploymentId, workDir);
    if (provider.checkout) {
      const checkedOut = await checkOutCommit({
        url: resolveFetchUrl(target.repo, deps.gitAccess, deps.baseDir),
        sha: facts.sha,
        dir: workDir,
        // DEPLOY_ID and DEPLOY_LOG_URL let a restarted deploybot recognise a git it left running.
        env: {
          ...buildGitEnv(deps.host, deps.gitAccess.githubWebUrl, gitToken),
          DEPLOY_ID: String(facts.id),
          DEPLOY_LOG_URL: facts.logUrl,
        },
        capture,
        signal,
        graceMs: deps.killGraceMs,
        onSpawn,
      });
      if (checkedOut === 'aborted') return 'aborted';
    }
    return await runScript({
      provider,
      facts,
      host: deps.host,
      workDir,
      capture,
      signal,
      graceMs: deps.killGraceMs,
      onSpawn,
    });
  } finally {
    await rm(workDir, { recursive: true, force: true }).catch((error: unknown) => {
      deps.logger.warn({ err: error, deployment: job.deploymentId }, 'could not remove the working copy');
    });
  }
}

/** The deployment's payload, task and creator: from the job, or from GitHub when deploybot created it. */
async function readFacts(deps: JobRunnerDeps, job: DeployJob): Promise<DeployFacts> {
  let { task, creator, payload } = job;
  if (payload === undefined) {
    const record = await getDeployment(deps.github, job.repository, job.deploymentId);
    ({ task, creator, payload } = record);
    await deps.store.fillDeployJobDetails(job.deploymentId, { task: record.task, creator, payload });
  }
  const user = readDeployUser(payload) ?? creator ?? 'unknown';
  return {
    id: job.deploymentId,
    repository: job.repository,
    ref: job.ref,
    sha: job.sha,
    environment: job.environment,
    task: stripControlCharacters(task ?? 'deploy'),
    user: stripControlCharacters(user),
    payload: readPayloadObject(payload),
    logUrl: buildLogUrl(deps.publicUrl, job.deploymentId, job.logToken),
  };
}

function describeAbort(reason: AbortReason | undefined): string {
  switch (reason?.kind) {
    case 'timeout':
      return `the deploy took longer than its timeout of ${reason.seconds}s; stopping it`;
    case 'cancelled':
      return `cancelled by ${reason.by}; stopping the deploy`;
    default:
      return 'deploybot is stopping; stopping the deploy';
  }
}

function outcomeOfAbort(signal: AbortSignal): DeployOutcome {
  const reason = signal.reason as AbortReason | undefined;
  switch (reason?.kind) {
    case 'timeout':
      return { kind: 'timed_out', seconds: reason.seconds };
    case 'cancelled':
      return { kind: 'cancelled', by: reason.by };
    default:
      return { kind: 'stopped' };
  }
}

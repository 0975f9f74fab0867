import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config, EnvironmentConfig, RepoConfig } from '../core/config.js';
import { findRepo } from '../core/config-lookup.js';
import { type DeployFacts, stripControlCharacters } from '../core/deploy-env.js';
import { checkDeployTarget, findEnvironmentByName } from '../core/deploy-intake.js';
import { buildLogUrl } from '../core/deploy-log-url.js';
import type { ProviderOutcome } from '../core/deploy-outcome.js';
import { DeploybotError } from '../core/errors.js';
import { readDeployUser, readPayloadObject } from '../core/payload.js';
import type { DeployJob } from '../core/ports/deploy-job-store.js';
import { getDeployment } from '../github/deployment-statuses.js';
import { buildGitEnv, checkOutCommit, resolveFetchUrl, sendsGitHubToken } from './checkout.js';
import { runHttp } from './http-provider.js';
import type { JobRunnerDeps } from './job-runner.js';
import type { LogCapture } from './log-capture.js';
import { runScript } from './script-provider.js';

export interface Target {
  readonly repo: RepoConfig;
  readonly environment: EnvironmentConfig;
}

/** The job's repository and environment as configured now; by exact name, as intake took it in. */
export function findTarget(config: Config, job: DeployJob): Target | undefined {
  const repo = findRepo(config, job.repository);
  const environment = repo && findEnvironmentByName(repo, job.environment);
  return repo && environment ? { repo, environment } : undefined;
}

/** Where a checkout fetches from, and the token git sends there. */
export interface GitSource {
  readonly url: string;
  readonly token: string | undefined;
}

/**
 * The source of a provider that checks out, undefined for one that does not. The token is
 * fetched only when git would send it (to GitHub), so a GitHub outage cannot fail a deploy
 * from a clone_url elsewhere.
 */
export async function prepareGitSource(
  deps: JobRunnerDeps,
  target: Target | undefined,
): Promise<GitSource | undefined> {
  const provider = target?.environment.provider;
  if (!target || provider?.type !== 'script' || !provider.checkout) return undefined;
  const url = resolveFetchUrl(target.repo, deps.gitAccess, deps.baseDir);
  const token = sendsGitHubToken(url, deps.gitAccess.githubWebUrl)
    ? await deps.gitAccess.token(target.repo.fullName)
    : undefined;
  return { url, token };
}

/** Set once the provider begins: from then on, the deploy may have changed something. */
export interface Progress {
  providerStarted: boolean;
}

export async function carryOut(
  deps: JobRunnerDeps,
  job: DeployJob,
  target: Target | undefined,
  git: GitSource | undefined,
  capture: LogCapture,
  signal: AbortSignal,
  progress: Progress,
): Promise<ProviderOutcome | 'aborted'> {
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
    progress.providerStarted = true;
    return runHttp({ provider, facts, capture, signal, fetch: deps.fetch });
  }
  const onSpawn = (pid: number) => {
    deps.store.recordDeployJobPid(job.deploymentId, pid).catch((error: unknown) => {
      deps.logger.warn({ err: error, deployment: job.deploymentId }, 'could not record the deploy pid');
    });
  };
  const script = { provider, facts, host: deps.host, capture, signal, graceMs: deps.killGraceMs, onSpawn };
  if (!provider.checkout) {
    // Relative commands resolve against deploybot's working directory, as they would in a shell there.
    progress.providerStarted = true;
    return runScript({ ...script, workDir: deps.baseDir });
  }
  if (!git) throw new DeploybotError('internal', 'a checkout without a source');
  const workDir = await mkdtemp(join(deps.tmpDir, `deploybot-${job.deploymentId}-`));
  try {
    await deps.store.recordDeployJobWorkDir(job.deploymentId, workDir);
    const checkedOut = await checkOutCommit({
      url: git.url,
      sha: facts.sha,
      dir: workDir,
      // DEPLOY_ID and DEPLOY_LOG_URL let a restarted deploybot recognise a git it left running.
      env: {
        ...buildGitEnv(deps.host, deps.gitAccess.githubWebUrl, git.token),
        DEPLOY_ID: String(facts.id),
        DEPLOY_LOG_URL: facts.logUrl,
      },
      capture,
      signal,
      graceMs: deps.killGraceMs,
      onSpawn,
    });
    if (checkedOut === 'aborted') return 'aborted';
    progress.providerStarted = true;
    return await runScript({ ...script, workDir });
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

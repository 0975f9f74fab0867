import type { Config } from '../core/config.js';
import type { HostEnv } from '../core/deploy-env.js';
import { selectSecrets } from '../core/deploy-mask.js';
import { type DeployOutcome, describeOutcome, outcomeFromError } from '../core/deploy-outcome.js';
import { toDeploybotError } from '../core/errors.js';
import type { DeployJob, DeployJobOutcome } from '../core/ports/deploy-job-store.js';
import type { Clock } from '../core/scheduler.js';
import type { GitHubClient } from '../github/client.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { carryOut, findTarget, type Progress, prepareGitSource } from './carry-out.js';
import { type GitAccess, gitBasicCredentials } from './checkout.js';
import { createLogCapture, formatNote, type LogCapture } from './log-capture.js';
import { retryUntilStopped } from './retry.js';
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
  /** deploybot's working directory: relative clone_url paths, and scripts that do not check out. */
  readonly baseDir: string;
  /** Where working copies are made (and removed). */
  readonly tmpDir: string;
  /** deploybot's own secrets, masked in every log. */
  readonly secrets: readonly string[];
  readonly logLimitBytes: number;
  readonly logFlushMs: number;
  readonly killGraceMs: number;
  /** The wait before retry `attempt` of a store write that must not be lost. */
  readonly storeRetryDelayMs: (attempt: number) => number;
  /** Aborted when deploybot stops: bookkeeping retries end. */
  readonly stopping: AbortSignal;
}

/** How the deployer controls one run. */
export interface RunControl {
  readonly controller: AbortController;
  /** Set once the outcome is fixed: an abort after that changes nothing, so a cancel comes too late. */
  decided: boolean;
}

/**
 * Runs one claimed job to its end and records the outcome; the final status is then owed
 * and posted. Every path, including a crash of deploybot's own code, ends in an outcome;
 * a job stopped by a graceful stop before any of it ran goes back to the queue instead.
 */
export async function runJob(deps: JobRunnerDeps, job: DeployJob, run: RunControl): Promise<void> {
  const log = deps.logger.child({ deployment: job.deploymentId, repository: job.repository });
  const { signal } = run.controller;
  const startedAt = deps.clock.now();
  const progress: Progress = { providerStarted: false };
  let capture: LogCapture | undefined;
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => capture?.note(describeAbort(signal.reason as AbortReason | undefined));
  let outcome: DeployOutcome;
  let environmentUrl: string | undefined;
  try {
    const target = findTarget(deps.config, job);
    environmentUrl = target?.environment.url;
    // Fetched before the log exists, so an App's installation token is masked like the rest.
    const git = signal.aborted ? undefined : await prepareGitSource(deps, target);
    capture = createLogCapture({
      store: deps.store,
      deploymentId: job.deploymentId,
      lastSeq: await deps.store.lastDeployLogSeq(job.deploymentId),
      clock: deps.clock,
      logger: log,
      limitBytes: deps.logLimitBytes,
      secrets: selectSecrets([
        ...deps.secrets,
        ...providerSecrets(target),
        git?.token,
        maybeBasic(git?.token),
      ]),
      flushMs: deps.logFlushMs,
    });
    timer = startTimeout(target, run.controller);
    signal.addEventListener('abort', onAbort, { once: true });
    if (!signal.aborted) {
      void deps.statuses.post(job, {
        state: 'pending',
        description: `deploying ${job.sha.slice(0, 7)} to ${job.environment}`,
      });
      log.info({ environment: job.environment, sha: job.sha }, 'deploy started');
    }
    const result = await carryOut(deps, job, target, git, capture, signal, progress);
    // An abort that came before this point wins: whoever cancelled was told it took effect.
    run.decided = true;
    if (signal.aborted || result === 'aborted') outcome = outcomeOfAbort(signal);
    // The whole deploy counts, checkout included, not just the provider's part.
    else if (result === 'succeeded')
      outcome = { kind: 'succeeded', durationMs: deps.clock.now() - startedAt };
    else outcome = result;
  } catch (thrown) {
    run.decided = true;
    const error = toDeploybotError(thrown);
    if (signal.aborted) outcome = outcomeOfAbort(signal);
    else {
      if (error.code === 'internal') log.error({ err: error }, 'deploy crashed inside deploybot');
      outcome = outcomeFromError(error);
    }
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
  await capture?.close();

  if (outcome.kind === 'stopped' && !progress.providerStarted) {
    await requeue(deps, job.deploymentId, log);
    return;
  }
  const described = describeOutcome(outcome);
  const closing = `${described.state}: ${described.description}`;
  await recordJobEnd(
    deps,
    job.deploymentId,
    'running',
    {
      ...described,
      ...(described.state === 'success' && environmentUrl ? { environmentUrl } : {}),
    },
    capture ? capture.closingLine(closing) : formatNote(closing, selectSecrets(deps.secrets)),
    log,
  );
}

/**
 * Finishes a job with its outcome and closing log line (one write), retrying until the store
 * takes it or deploybot stops; then posts the final status. False if the job was not in `from`.
 */
export async function recordJobEnd(
  deps: Pick<JobRunnerDeps, 'store' | 'clock' | 'statuses' | 'storeRetryDelayMs' | 'stopping'>,
  deploymentId: number,
  from: 'queued' | 'running',
  outcome: DeployJobOutcome,
  note: string,
  log: Logger,
): Promise<boolean> {
  const finished = await retryUntilStopped(
    () => deps.store.finishDeployJob(deploymentId, from, outcome, deps.clock.now(), note),
    {
      delayMs: deps.storeRetryDelayMs,
      signal: deps.stopping,
      onRetry: (error, attempt, delayMs) =>
        log.warn(
          { err: error, attempt, retryInMs: delayMs },
          'could not record the end of a deploy; retrying',
        ),
    },
  );
  log.info({ state: outcome.state, description: outcome.description, finished }, 'deploy ended');
  if (finished) await deps.statuses.settle(deploymentId);
  return finished;
}

/** A job stopped before anything of it ran waits for the next start, rather than failing. */
async function requeue(deps: JobRunnerDeps, deploymentId: number, log: Logger): Promise<void> {
  try {
    const requeued = await retryUntilStopped(() => deps.store.requeueDeployJob(deploymentId), {
      delayMs: deps.storeRetryDelayMs,
      signal: deps.stopping,
      onRetry: (error, attempt) =>
        log.warn({ err: error, attempt }, 'could not put the deploy back in the queue'),
    });
    log.info({ requeued }, 'deploybot stopped before the deploy began; it runs at the next start');
  } catch (error) {
    // Left running: the next start reports it as interrupted, which is true enough.
    log.error({ err: error }, 'could not put the deploy back in the queue; the next start reports it');
  }
}

function providerSecrets(target: ReturnType<typeof findTarget>): string[] {
  const provider = target?.environment.provider;
  if (provider?.type === 'script') return Object.values(provider.env);
  if (provider?.type === 'http') return Object.values(provider.headers);
  return [];
}

function maybeBasic(token: string | undefined): string | undefined {
  return token === undefined ? undefined : gitBasicCredentials(token);
}

function startTimeout(
  target: ReturnType<typeof findTarget>,
  controller: AbortController,
): NodeJS.Timeout | undefined {
  const provider = target?.environment.provider;
  const seconds = provider && provider.type !== 'external' ? provider.timeoutSeconds : 0;
  if (seconds <= 0) return undefined;
  return setTimeout(
    () => controller.abort({ kind: 'timeout', seconds }),
    Math.min(seconds * 1000, MAX_TIMER_MS),
  );
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

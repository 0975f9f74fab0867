import type { Config } from '../core/config.js';
import {
  type AbortReason,
  deployTimeoutSeconds,
  describeAbort,
  outcomeOfAbort,
} from '../core/deploy-abort.js';
import { describeDeployStart } from '../core/deploy-env.js';
import { checkDeployTarget, findDeployTarget } from '../core/deploy-intake.js';
import { describeEnd, formatClosingNote } from '../core/deploy-log-note.js';
import { providerSecrets, selectSecrets } from '../core/deploy-mask.js';
import {
  type DeployOutcome,
  describeOutcome,
  outcomeFromError,
  type ProviderOutcome,
} from '../core/deploy-outcome.js';
import { describeDeploying } from '../core/deploy-queue.js';
import { DeploybotError, toDeploybotError } from '../core/errors.js';
import type { DeployJob, DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { DeployLog, OpenDeployLog } from '../core/ports/deploy-log.js';
import type { DeployLogStore } from '../core/ports/deploy-log-store.js';
import type { DeployProvider, DeployTarget, PreparedDeploy } from '../core/ports/deploy-provider.js';
import type { GitHubPort } from '../core/ports/github.js';
import type { LogPort } from '../core/ports/log.js';
import type { Scheduler } from '../core/scheduler.js';
import type { RunControl } from './deploy-runs.js';
import type { EndDeployJob } from './end-deploy-job.js';
import type { PostDeployStatus } from './post-deploy-status.js';
import { readDeployFacts } from './read-deploy-facts.js';
import { retryUntilStopped } from './retry-until-stopped.js';

export interface RunDeployJobOptions {
  readonly config: Config;
  readonly jobs: Pick<
    DeployJobStore,
    'fillDeployJobDetails' | 'recordDeployJobPid' | 'recordDeployJobWorkDir' | 'requeueDeployJob'
  >;
  readonly logs: Pick<DeployLogStore, 'lastDeployLogSeq'>;
  readonly github: Pick<GitHubPort, 'getDeployment'>;
  readonly provider: DeployProvider;
  readonly openLog: OpenDeployLog;
  readonly scheduler: Pick<Scheduler, 'now' | 'sleep'>;
  readonly log: LogPort;
  readonly publicUrl: string;
  /** deploybot's own secrets, masked in every log. */
  readonly secrets: readonly string[];
  readonly postStatus: PostDeployStatus;
  readonly endJob: EndDeployJob;
  /** The wait before retry `attempt` of a store write that must not be lost. */
  readonly storeRetryDelayMs: (attempt: number) => number;
  /** Aborted when deploybot stops: bookkeeping retries end. */
  readonly stopping: AbortSignal;
}

/**
 * Runs one claimed job to its end and records the outcome; the final status is then owed
 * and posted. Every path, including a crash of deploybot's own code, ends in an outcome;
 * a job stopped by a graceful stop before any of it ran goes back to the queue instead.
 */
export type RunDeployJob = (job: DeployJob, run: RunControl) => Promise<void>;

export function createRunDeployJob(options: RunDeployJobOptions): RunDeployJob {
  const { jobs, scheduler } = options;

  /** What the job's deploy needs before its log opens; none for a target deploybot no longer runs. */
  async function prepare(target: DeployTarget | undefined): Promise<PreparedDeploy | undefined> {
    if (!target || target.environment.provider.type === 'external') return undefined;
    return options.provider.prepare(target);
  }

  async function carryOut(
    job: DeployJob,
    prepared: PreparedDeploy | undefined,
    deployLog: DeployLog,
    signal: AbortSignal,
    began: () => void,
    log: LogPort,
  ): Promise<ProviderOutcome | 'aborted'> {
    // Cancelled or stopped before it even began: nothing was started, nothing to stop.
    if (signal.aborted) return 'aborted';
    if (!prepared) {
      throw new DeploybotError(
        'unknown_environment',
        `${job.environment} is no longer deployed by deploybot`,
      );
    }
    const unsafe = checkDeployTarget(job);
    if (unsafe) throw unsafe;
    const facts = await readDeployFacts(job, options);
    deployLog.note(describeDeployStart(facts));
    return prepared.run({
      facts,
      log: deployLog,
      signal,
      began,
      spawned: (pid) => {
        jobs.recordDeployJobPid(job.deploymentId, pid).catch((error: unknown) => {
          log.warn({ err: error }, 'could not record the deploy pid');
        });
      },
      madeWorkDir: (dir) => jobs.recordDeployJobWorkDir(job.deploymentId, dir),
    });
  }

  /** Aborts the run once its provider's timeout passed, unless `cleared` aborts first. */
  function armTimeout(seconds: number, run: RunControl, cleared: AbortSignal): void {
    if (seconds <= 0) return;
    void scheduler.sleep(seconds * 1000, cleared).then((fired) => {
      if (fired) run.controller.abort({ kind: 'timeout', seconds } satisfies AbortReason);
    });
  }

  /** A job stopped before anything of it ran waits for the next start, rather than failing. */
  async function requeue(deploymentId: number, log: LogPort): Promise<void> {
    try {
      const requeued = await retryUntilStopped(() => jobs.requeueDeployJob(deploymentId), {
        delayMs: options.storeRetryDelayMs,
        signal: options.stopping,
        sleep: scheduler.sleep,
        onRetry: (error, attempt) =>
          log.warn({ err: error, attempt }, 'could not put the deploy back in the queue'),
      });
      log.info({ requeued }, 'deploybot stopped before the deploy began; it runs at the next start');
    } catch (error) {
      // Left running: the next start reports it as interrupted, which is true enough.
      log.error({ err: error }, 'could not put the deploy back in the queue; the next start reports it');
    }
  }

  return async (job, run) => {
    const log = options.log.child({ deployment: job.deploymentId, repository: job.repository });
    const { signal } = run.controller;
    const reason = () => signal.reason as AbortReason | undefined;
    const startedAt = scheduler.now();
    const target = findDeployTarget(options.config, job);
    const timeout = new AbortController();
    let began = false;
    const markBegan = () => {
      began = true;
      run.began = true;
    };
    let deployLog: DeployLog | undefined;
    const onAbort = () => deployLog?.note(describeAbort(reason()));
    let outcome: DeployOutcome;
    try {
      // Prepared before the log exists, so an App's installation token is masked like the rest.
      const prepared = signal.aborted ? undefined : await prepare(target);
      deployLog = options.openLog({
        deploymentId: job.deploymentId,
        lastSeq: await options.logs.lastDeployLogSeq(job.deploymentId),
        secrets: selectSecrets([
          ...options.secrets,
          ...providerSecrets(target?.environment.provider),
          ...(prepared?.secrets ?? []),
        ]),
      });
      armTimeout(deployTimeoutSeconds(target?.environment), run, timeout.signal);
      signal.addEventListener('abort', onAbort, { once: true });
      if (!signal.aborted) {
        void options.postStatus(job, {
          state: 'pending',
          description: describeDeploying(job.sha, job.environment),
        });
        log.info({ environment: job.environment, sha: job.sha }, 'deploy started');
      }
      const result = await carryOut(job, prepared, deployLog, signal, markBegan, log);
      // An abort that came before this point wins: whoever cancelled was told it took effect.
      run.decided = true;
      if (signal.aborted || result === 'aborted') outcome = outcomeOfAbort(reason());
      // The whole deploy counts, checkout included, not just the provider's part.
      else if (result === 'succeeded')
        outcome = { kind: 'succeeded', durationMs: scheduler.now() - startedAt };
      else outcome = result;
    } catch (thrown) {
      run.decided = true;
      const error = toDeploybotError(thrown);
      if (signal.aborted) outcome = outcomeOfAbort(reason());
      else {
        if (error.code === 'internal') log.error({ err: error }, 'deploy crashed inside deploybot');
        outcome = outcomeFromError(error);
      }
    } finally {
      timeout.abort();
      signal.removeEventListener('abort', onAbort);
    }
    await deployLog?.close();

    // Another process holds the job now and reports it: nothing more of it is ours to post.
    if (reason()?.kind === 'taken_over') {
      log.warn({}, 'another deploybot process took the deploy over; leaving its outcome to that process');
      return;
    }
    if (outcome.kind === 'stopped' && !began) return requeue(job.deploymentId, log);
    const described = describeOutcome(outcome);
    const environmentUrl = target?.environment.url;
    await options.endJob({
      deploymentId: job.deploymentId,
      from: 'running',
      outcome: {
        ...described,
        ...(described.state === 'success' && environmentUrl ? { environmentUrl } : {}),
      },
      note: deployLog
        ? deployLog.closingLine(describeEnd(described))
        : formatClosingNote(described, selectSecrets(options.secrets)),
      log,
    });
  };
}

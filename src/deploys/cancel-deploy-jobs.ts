import type { Config } from '../core/config.js';
import { findEnvironment, findRepo } from '../core/config-lookup.js';
import { isWaiting } from '../core/deploy-job-state.js';
import { formatClosingNote } from '../core/deploy-log-note.js';
import { describeOutcome } from '../core/deploy-outcome.js';
import { laneOf } from '../core/deploy-queue.js';
import { DeploybotError } from '../core/errors.js';
import type { DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { Clock } from '../core/scheduler.js';
import type { DeployRuns } from './deploy-runs.js';
import type { ReportDeployEnd } from './report-deploy-end.js';

export type CancelTarget =
  | { readonly repository: string; readonly environment: string }
  | { readonly deploymentId: number };

export interface CancelResult {
  /** The deployments that were waiting or running and are now being stopped. */
  readonly cancelled: readonly number[];
}

export interface CancelDeployJobsOptions {
  readonly config: Config;
  readonly jobs: Pick<
    DeployJobStore,
    'getDeployJob' | 'listUnfinishedDeployJobs' | 'finishDeployJob' | 'requestDeployJobCancel'
  >;
  /** The runs of this process: a running job is stopped through its run; another process's is asked to stop it. */
  readonly runs: DeployRuns;
  readonly clock: Clock;
  readonly log: LogPort;
  /** deploybot's own secrets as selectSecrets gives them. */
  readonly secrets: readonly string[];
  /** Told of a waiting job just finished: its final status is owed now. */
  readonly settle: (deploymentId: number) => Promise<void>;
  /** Counts a waiting job just finished. */
  readonly reportEnd: ReportDeployEnd;
}

/**
 * Cancels one deployment, or everything waiting and running in a repository's environment.
 * A waiting one is dropped, a running one killed; both end in `error` "cancelled by @by".
 * One that already ended, or whose outcome is already decided, is not reported.
 */
export type CancelDeployJobs = (target: CancelTarget, by: string) => Promise<CancelResult>;

const LIST_LIMIT = 1000;

export function createCancelDeployJobs(options: CancelDeployJobsOptions): CancelDeployJobs {
  const { jobs, runs } = options;

  async function idsOf(target: CancelTarget): Promise<number[]> {
    if ('deploymentId' in target) return [target.deploymentId];
    const repo = findRepo(options.config, target.repository);
    if (!repo) throw new DeploybotError('unknown_repository', `${target.repository} is not in deploybot.yml`);
    // People cancel by what they type, aliases included.
    const environment = findEnvironment(repo, target.environment);
    if (!environment) {
      throw new DeploybotError(
        'unknown_environment',
        `${repo.fullName} has no environment ${target.environment}`,
      );
    }
    const lane = laneOf(repo.fullName, environment.name);
    const inLane = (await jobs.listUnfinishedDeployJobs(LIST_LIMIT)).filter((job) => job.lane === lane);
    // Waiting ones first: stopping the running one frees the lane for them.
    return [
      ...inLane.filter((job) => isWaiting(job.state)),
      ...inLane.filter((job) => !isWaiting(job.state)),
    ].map((job) => job.deploymentId);
  }

  async function cancelOne(id: number, by: string): Promise<boolean> {
    // A few looks: a queued job may be claimed between two of them, and a claim may fail.
    for (let look = 0; look < 4; look++) {
      const run = runs.get(id);
      if (run?.done) return runs.abort(run, { kind: 'cancelled', by });
      if (run) {
        await run.claim;
        continue;
      }
      const job = await jobs.getDeployJob(id);
      if (job && isWaiting(job.state)) {
        if (await dropWaiting(id, by)) return true;
      } else if (job?.state === 'running' && !runs.get(id)) {
        // Another process runs it: asked through the store, it stops it at its next heartbeat.
        return jobs.requestDeployJobCancel(id, by);
      } else if (!runs.get(id)) {
        return false;
      }
    }
    return false;
  }

  async function dropWaiting(id: number, by: string): Promise<boolean> {
    const described = describeOutcome({ kind: 'cancelled', by });
    const note = formatClosingNote(described, options.secrets);
    if (!(await jobs.finishDeployJob(id, 'queued', described, options.clock.now(), note))) return false;
    await options.reportEnd(id, options.log);
    void options.settle(id);
    return true;
  }

  return async (target, by) => {
    const cancelled: number[] = [];
    for (const id of await idsOf(target)) if (await cancelOne(id, by)) cancelled.push(id);
    if (cancelled.length > 0) options.log.info({ cancelled, by }, 'deployments cancelled');
    return { cancelled };
  };
}

import { rm } from 'node:fs/promises';
import { findEnvironment, findRepo } from '../config/lookup.js';
import { decideIntake, type IncomingDeployment } from '../core/deploy-intake.js';
import { describeOutcome } from '../core/deploy-outcome.js';
import { describeWait, laneOf, planQueue } from '../core/deploy-queue.js';
import { DeploybotError } from '../core/errors.js';
import type { DeployJob } from '../store/deploy-jobs.js';
import { type JobRunnerDeps, runJob } from './job-runner.js';
import { killOrphanedGroup } from './process-tree.js';
import type { StatusPoster } from './status-poster.js';

export interface DeployerOptions extends Omit<JobRunnerDeps, 'statuses'> {
  readonly statuses: StatusPoster;
  /** How many deploys this process runs at once (DEPLOY_CONCURRENCY). */
  readonly concurrency: number;
  /** Names this process in the jobs it claims. */
  readonly runnerId: string;
  /** A new unguessable log page token. */
  readonly newToken: () => string;
}

export type SubmitResult =
  | { readonly kind: 'queued' }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'refused'; readonly error: DeploybotError };

export type CancelTarget =
  | { readonly repository: string; readonly environment: string }
  | { readonly deploymentId: number };

export interface CancelResult {
  /** The deployments that were waiting or running and are now being stopped. */
  readonly cancelled: readonly number[];
}

export interface Deployer {
  /** Takes a deployment in; each deployment id runs once however often it is submitted. */
  submit(deployment: IncomingDeployment): Promise<SubmitResult>;
  /**
   * Cancels one deployment, or everything waiting and running in a repository's environment.
   * A waiting one is dropped, a running one killed; both end in `error` "cancelled by @by".
   */
  cancel(target: CancelTarget, by: string): Promise<CancelResult>;
  /** Ends deploys the previous process left running, posts owed statuses, starts what waits. */
  start(): Promise<void>;
  /** Stops running deploys (they end in `error`) and takes no more. */
  stop(): Promise<void>;
}

const LIST_LIMIT = 1000;

export function createDeployer(options: DeployerOptions): Deployer {
  const { store, clock, statuses, logger } = options;
  const active = new Map<number, { controller: AbortController; done?: Promise<void> }>();
  const announcedQueued = new Set<number>();
  let pumping: Promise<void> | undefined;
  let pumpAgain = false;
  let started = false;
  let stopped = false;

  function requestPump(): void {
    if (!started || stopped) return;
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = (async () => {
      do {
        pumpAgain = false;
        await pumpOnce();
      } while (pumpAgain && !stopped);
    })()
      .catch((error: unknown) => logger.error({ err: error }, 'could not read the deploy queue'))
      .finally(() => {
        pumping = undefined;
      });
  }

  async function pumpOnce(): Promise<void> {
    const jobs = await store.listUnfinishedDeployJobs(LIST_LIMIT);
    const byId = new Map(jobs.map((job) => [job.deploymentId, job]));
    const plan = planQueue(
      jobs.map((job) => ({ id: job.deploymentId, lane: job.lane, state: job.state as 'queued' | 'running' })),
      options.concurrency,
    );
    for (const { id, reason } of plan.wait) {
      const job = byId.get(id);
      if (!job || job.postedState !== undefined || announcedQueued.has(id)) continue;
      announcedQueued.add(id);
      void statuses.post(job, { state: 'queued', description: describeWait(reason) });
    }
    for (const id of plan.start) {
      const job = byId.get(id);
      if (job && !stopped) await startJob(job);
    }
  }

  async function startJob(job: DeployJob): Promise<void> {
    const id = job.deploymentId;
    // Registered before the claim, so a cancel arriving meanwhile finds it and is not lost.
    const entry: { controller: AbortController; done?: Promise<void> } = {
      controller: new AbortController(),
    };
    active.set(id, entry);
    const claimed = await store.claimDeployJob(id, job.lane, options.runnerId, clock.now());
    if (!claimed) {
      active.delete(id);
      return;
    }
    announcedQueued.delete(id);
    entry.done = runJob(options, { ...job, state: 'running' }, entry.controller)
      .catch((error: unknown) => logger.error({ err: error, deployment: id }, 'deploy bookkeeping failed'))
      .finally(() => {
        active.delete(id);
        requestPump();
      });
  }

  async function finishQueued(job: DeployJob, outcome: ReturnType<typeof describeOutcome>, note: string) {
    const finished = await store.finishDeployJob(job.deploymentId, 'queued', outcome, clock.now());
    if (!finished) return false;
    announcedQueued.delete(job.deploymentId);
    await appendNote(job.deploymentId, note);
    void statuses.settle(job.deploymentId);
    return true;
  }

  async function appendNote(deploymentId: number, line: string): Promise<void> {
    const seq = (await store.lastDeployLogSeq(deploymentId)) + 1;
    await store.appendDeployLog(deploymentId, seq, `[deploybot] ${line}\n`, clock.now());
  }

  /** Jobs left `running` by a process that died: their processes are stopped, their status is `error`. */
  async function recoverInterrupted(): Promise<void> {
    const jobs = await store.listUnfinishedDeployJobs(LIST_LIMIT);
    for (const job of jobs.filter((j) => j.state === 'running')) {
      const log = logger.child({ deployment: job.deploymentId, repository: job.repository });
      if (job.pid !== undefined) {
        const killed = await killOrphanedGroup(job.pid, (environ) => isJobEnvironment(environ, job)).catch(
          () => false,
        );
        if (killed) log.warn({ pid: job.pid }, 'stopped the processes an interrupted deploy left running');
      }
      if (job.workDir !== undefined) {
        await rm(job.workDir, { recursive: true, force: true }).catch((error: unknown) => {
          log.warn({ err: error }, 'could not remove the working copy of an interrupted deploy');
        });
      }
      const described = describeOutcome({ kind: 'restarted' });
      if (await store.finishDeployJob(job.deploymentId, 'running', described, clock.now())) {
        await appendNote(job.deploymentId, `${described.state}: ${described.description}`);
        log.warn('deploy interrupted by a restart; reporting error');
      }
    }
  }

  async function cancelOne(id: number, by: string): Promise<boolean> {
    const running = active.get(id);
    if (running) {
      running.controller.abort({ kind: 'cancelled', by });
      return true;
    }
    const job = await store.getDeployJob(id);
    if (job?.state !== 'queued') return false;
    const described = describeOutcome({ kind: 'cancelled', by });
    if (await finishQueued(job, described, `${described.state}: ${described.description}`)) return true;
    // It started meanwhile.
    const started = active.get(id);
    started?.controller.abort({ kind: 'cancelled', by });
    return started !== undefined;
  }

  return {
    async submit(deployment) {
      const intake = decideIntake(options.config, deployment);
      if (intake.kind === 'ignore') return { kind: 'ignored', reason: intake.reason };
      const job = {
        deploymentId: deployment.id,
        repository: intake.repo.fullName,
        environment: deployment.environment,
        lane: intake.lane,
        ref: deployment.ref,
        sha: deployment.sha,
        task: deployment.task,
        creator: deployment.creator,
        payload: deployment.payload,
        logToken: options.newToken(),
        enqueuedAt: clock.now(),
      };
      if (intake.kind === 'refuse' && intake.error) {
        const refused = describeOutcome({ kind: 'refused', reason: intake.error.message });
        if ((await store.recordDeployJob(job, refused)) === 'recorded') {
          logger.warn({ deployment: job.deploymentId, code: intake.error.code }, 'deployment refused');
          await appendNote(job.deploymentId, `${refused.state}: ${refused.description}`);
          void statuses.settle(job.deploymentId);
        }
        return { kind: 'refused', error: intake.error };
      }
      if ((await store.recordDeployJob(job)) === 'duplicate') {
        if (deployment.payload !== undefined) {
          await store.fillDeployJobDetails(job.deploymentId, {
            task: deployment.task ?? 'deploy',
            creator: deployment.creator,
            payload: deployment.payload,
          });
        }
        return { kind: 'duplicate' };
      }
      logger.info({ deployment: job.deploymentId, lane: job.lane }, 'deployment queued');
      requestPump();
      return { kind: 'queued' };
    },

    async cancel(target, by) {
      let ids: number[];
      if ('deploymentId' in target) ids = [target.deploymentId];
      else {
        const repo = findRepo(options.config, target.repository);
        if (!repo)
          throw new DeploybotError('unknown_repository', `${target.repository} is not in deploybot.yml`);
        const environment = findEnvironment(repo, target.environment);
        if (!environment) {
          throw new DeploybotError(
            'unknown_environment',
            `${repo.fullName} has no environment ${target.environment}`,
          );
        }
        const lane = laneOf(repo.fullName, environment.name);
        const jobs = await store.listUnfinishedDeployJobs(LIST_LIMIT);
        // Waiting ones first: stopping the running one frees the lane for them.
        const inLane = jobs.filter((job) => job.lane === lane);
        ids = [
          ...inLane.filter((job) => job.state === 'queued'),
          ...inLane.filter((job) => job.state === 'running'),
        ].map((job) => job.deploymentId);
      }
      const cancelled: number[] = [];
      for (const id of ids) if (await cancelOne(id, by)) cancelled.push(id);
      if (cancelled.length > 0) logger.info({ cancelled, by }, 'deployments cancelled');
      requestPump();
      return { cancelled };
    },

    async start() {
      await recoverInterrupted();
      started = true;
      statuses
        .resumeOwed()
        .catch((error: unknown) => logger.error({ err: error }, 'could not resume statuses'));
      requestPump();
    },

    async stop() {
      stopped = true;
      for (const entry of active.values()) entry.controller.abort({ kind: 'stopping' });
      await pumping;
      while (active.size > 0) await Promise.all([...active.values()].map((entry) => entry.done));
      await statuses.stop();
    },
  };
}

/** Whether a process environment is that of this job's script or git: it names the job and its token. */
function isJobEnvironment(environ: readonly string[], job: DeployJob): boolean {
  return (
    environ.includes(`DEPLOY_ID=${job.deploymentId}`) &&
    environ.some((entry) => entry.startsWith('DEPLOY_LOG_URL=') && entry.endsWith(`/${job.logToken}`))
  );
}

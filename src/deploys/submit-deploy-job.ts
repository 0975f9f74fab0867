import type { Config } from '../core/config.js';
import { decideIntake, type IncomingDeployment } from '../core/deploy-intake.js';
import { formatClosingNote } from '../core/deploy-log-note.js';
import { describeOutcome } from '../core/deploy-outcome.js';
import type { DeploybotError } from '../core/errors.js';
import type { DeployJobStore, NewDeployJob } from '../core/ports/deploy-job-store.js';
import type { IdentityPort } from '../core/ports/identity.js';
import type { LogPort } from '../core/ports/log.js';
import type { DeployMetrics } from '../core/ports/metrics.js';
import type { Clock } from '../core/scheduler.js';

export type SubmitResult =
  | { readonly kind: 'queued' }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'refused'; readonly error: DeploybotError }
  | { readonly kind: 'not_run'; readonly reason: string };

export interface SubmitDeployJobOptions {
  readonly config: Config;
  readonly jobs: Pick<DeployJobStore, 'recordDeployJob' | 'fillDeployJobDetails'>;
  readonly clock: Clock;
  /** Who deploybot is on GitHub: what it created itself always runs. */
  readonly identity: IdentityPort;
  readonly log: LogPort;
  /** A new unguessable log page token. */
  readonly newToken: () => string;
  /** deploybot's own secrets as selectSecrets gives them: a refusal's log line is masked too. */
  readonly secrets: readonly string[];
  /** Told of a job newly recorded finished: its final status is owed now. */
  readonly settle: (deploymentId: number) => Promise<void>;
  readonly metrics?: DeployMetrics;
}

/** Takes a deployment in; each deployment id is recorded once however often it is submitted. */
export type SubmitDeployJob = (deployment: IncomingDeployment) => Promise<SubmitResult>;

/**
 * Decides whether a deployment is deploybot's to run and records it once: `queued` to wait
 * for its turn, or finished in `error` when it names something that must not reach git or a
 * process, or when deploybot's rules do not let it run (its creator, its age). A submit seen
 * before fills in what the first one lacked and changes nothing else.
 */
export function createSubmitDeployJob(options: SubmitDeployJobOptions): SubmitDeployJob {
  const { jobs, log } = options;
  return async (deployment) => {
    // Asked of GitHub once; when it cannot be learnt the submit fails and is retried, never guessed.
    const self = (await options.identity.identity()).login;
    const intake = decideIntake(options.config, deployment, { self, now: options.clock.now() });
    if (intake.kind === 'ignore') return { kind: 'ignored', reason: intake.reason };
    const job: NewDeployJob = {
      deploymentId: deployment.id,
      repository: intake.repo.fullName,
      // The configured name, not GitHub's spelling of it: it is what scripts get as DEPLOY_ENVIRONMENT.
      environment: intake.environment.name,
      lane: intake.lane,
      ref: deployment.ref,
      sha: deployment.sha,
      task: deployment.task,
      creator: deployment.creator,
      payload: deployment.payload,
      logToken: options.newToken(),
      enqueuedAt: options.clock.now(),
    };
    if (intake.kind === 'refuse' && intake.error) {
      const refused = describeOutcome({ kind: 'refused', reason: intake.error.message });
      // The note is stored with the job, so the log says why whenever the job is visible.
      if (
        (await jobs.recordDeployJob(job, refused, formatClosingNote(refused, options.secrets))) === 'recorded'
      ) {
        log.warn({ deployment: job.deploymentId, code: intake.error.code }, 'deployment refused');
        options.metrics?.deployEnded({
          repository: job.repository,
          environment: job.environment,
          state: refused.state,
          durationMs: undefined,
        });
        void options.settle(job.deploymentId);
      }
      return { kind: 'refused', error: intake.error };
    }
    if (intake.kind === 'not_run' && intake.reason !== undefined) {
      const notRun = describeOutcome({ kind: 'not_run', reason: intake.reason });
      // A submit seen before changes nothing: one that lacks the creator the first one had
      // must not end a job that is already deploybot's to run.
      if (
        (await jobs.recordDeployJob(job, notRun, formatClosingNote(notRun, options.secrets))) === 'duplicate'
      ) {
        return { kind: 'duplicate' };
      }
      log.warn({ deployment: job.deploymentId, creator: job.creator }, 'deployment not run');
      void options.settle(job.deploymentId);
      return { kind: 'not_run', reason: intake.reason };
    }
    if ((await jobs.recordDeployJob(job)) === 'duplicate') {
      if (deployment.payload !== undefined) {
        await jobs.fillDeployJobDetails(job.deploymentId, {
          task: deployment.task ?? 'deploy',
          creator: deployment.creator,
          payload: deployment.payload,
        });
      }
      return { kind: 'duplicate' };
    }
    log.info({ deployment: job.deploymentId, lane: job.lane }, 'deployment queued');
    return { kind: 'queued' };
  };
}

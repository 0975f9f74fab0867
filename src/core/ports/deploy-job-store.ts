import type { DeployJobState, JobStateBefore } from '../deploy-job-state.js';
import type { DeploymentState } from '../deployment-state.js';

export type { DeployJobState } from '../deploy-job-state.js';

export interface DeployJobOutcome {
  readonly state: 'success' | 'failure' | 'error';
  readonly description: string;
  readonly environmentUrl?: string;
}

export interface NewDeployJob {
  readonly deploymentId: number;
  readonly repository: string;
  readonly environment: string;
  readonly lane: string;
  readonly ref: string;
  readonly sha: string;
  readonly task: string | undefined;
  readonly creator: string | undefined;
  /** Undefined: not known yet. */
  readonly payload: unknown;
  readonly logToken: string;
  readonly enqueuedAt: number;
}

export interface DeployJob extends NewDeployJob {
  readonly state: DeployJobState;
  readonly startedAt: number | undefined;
  readonly finishedAt: number | undefined;
  readonly runner: string | undefined;
  readonly pid: number | undefined;
  readonly workDir: string | undefined;
  readonly outcome: DeployJobOutcome | undefined;
  /** The last status deploybot posted to GitHub for this deployment. */
  readonly postedState: DeploymentState | undefined;
  readonly finalStatus: 'owed' | 'posted' | 'abandoned' | undefined;
  /** Until when `runner` holds the running job; undefined: no lease (anyone may take it over). */
  readonly leaseExpiresAt: number | undefined;
}

/** Who held a running job when it was read: a takeover wins only if nobody changed that since. */
export interface DeployJobHolder {
  readonly runner: string | undefined;
  readonly leaseExpiresAt: number | undefined;
}

export interface DeployJobDetails {
  readonly task: string;
  readonly creator: string | undefined;
  readonly payload: unknown;
}

export interface DeployJobStore {
  /**
   * Records a job unless one exists for the deployment: the one place that makes each
   * deployment run once. A refused job is recorded finished, its `error` status owed, and
   * `note` (its closing log line) stored with it.
   */
  recordDeployJob(
    job: NewDeployJob,
    refusal?: DeployJobOutcome,
    note?: string,
  ): Promise<'recorded' | 'duplicate'>;
  getDeployJob(deploymentId: number): Promise<DeployJob | undefined>;
  /** Queued and running jobs, oldest first. */
  listUnfinishedDeployJobs(limit: number): Promise<DeployJob[]>;
  listDeployJobsOwingFinalStatus(limit: number): Promise<DeployJob[]>;
  /** Fills in what a job created without its payload lacked; a job that has it keeps it. */
  fillDeployJobDetails(deploymentId: number, details: DeployJobDetails): Promise<void>;
  /**
   * `claim` (JOB_TRANSITIONS): queued → running, held by `runner` until `now + leaseMs`, unless
   * another job of its lane runs or someone else claimed it first. The database allows one
   * running job per lane, so two processes racing for one lane never both win. Without
   * `leaseMs` the job holds no lease: anyone may take it over.
   */
  claimDeployJob(
    deploymentId: number,
    lane: string,
    runner: string,
    now: number,
    leaseMs?: number,
  ): Promise<boolean>;
  /**
   * Extends to `now + ttlMs` the lease of every running job `runner` holds; says which jobs it
   * still holds. One missing from the answer was taken over: its deploy is no longer ours.
   */
  renewDeployJobLeases(runner: string, now: number, ttlMs: number): Promise<number[]>;
  /**
   * Asks the process running a job to cancel it: recorded if the job still runs, and true then.
   * The runner finds it at its next heartbeat (listCancelRequests) and stops the deploy.
   */
  requestDeployJobCancel(deploymentId: number, by: string): Promise<boolean>;
  /** The running jobs of `runner` someone asked to cancel, and who. */
  listCancelRequests(runner: string): Promise<Array<{ readonly deploymentId: number; readonly by: string }>>;
  /**
   * Makes a running job `runner`'s until `now + ttlMs`, if it is still running and still held
   * as `held` says (a single conditional write): of two processes taking one job over, one wins,
   * and a job whose runner renewed its lease meanwhile is not taken.
   */
  takeOverDeployJob(
    deploymentId: number,
    held: DeployJobHolder,
    runner: string,
    now: number,
    ttlMs: number,
  ): Promise<boolean>;
  /**
   * Takes the posting of a job's owed final status for `owner` until `until`, if it is still owed
   * and nobody else holds it: one process at a time posts it. `owner` may take it again.
   */
  claimFinalDeployStatus(deploymentId: number, owner: string, now: number, until: number): Promise<boolean>;
  /** Records that GitHub's refusal of the final status was announced; true only the first time. */
  recordFinalStatusWarned(deploymentId: number, now: number): Promise<boolean>;
  recordDeployJobPid(deploymentId: number, pid: number): Promise<void>;
  recordDeployJobWorkDir(deploymentId: number, workDir: string): Promise<void>;
  /**
   * Moves a job from `from` to finished with its outcome, the final status owed, and appends
   * `note` to its log in the same transaction, so the log never lacks its closing line nor
   * shows one for a job that did not end; false (and no note) if the job was not in `from`.
   */
  finishDeployJob(
    deploymentId: number,
    from: JobStateBefore<'finish'>,
    outcome: DeployJobOutcome,
    now: number,
    note?: string,
  ): Promise<boolean>;
  /** `requeue`: running → queued, for a job stopped before anything of it ran; false if it was not running. */
  requeueDeployJob(deploymentId: number): Promise<boolean>;
  recordPostedDeployStatus(deploymentId: number, state: DeploymentState): Promise<void>;
  /**
   * Claims telling GitHub why a waiting job waits, before its `queued` status is posted: 'first'
   * if it was never told, 'again' when it waited its turn and now waits for a lock, false when
   * it was told already (by any process) or no longer waits. Only the claimer posts.
   */
  claimQueuedNotice(deploymentId: number, why: 'turn' | 'lock'): Promise<'first' | 'again' | false>;
  settleFinalDeployStatus(deploymentId: number, result: 'posted' | 'abandoned'): Promise<void>;
}

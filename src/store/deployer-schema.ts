import type { Generated } from 'kysely';

/**
 * The deployer's tables (migration 0002). Timestamps are epoch milliseconds.
 *
 * A deploy job is one GitHub deployment the deployer runs. Its primary key is the
 * deployment id, so however often deploybot hears of a deployment, it runs once.
 */
export interface DeployJobTable {
  deployment_id: number;
  repository: string;
  environment: string;
  /** Repository and environment as configured, lower case: one running job per lane. */
  lane: string;
  ref: string;
  sha: string;
  task: string | null;
  creator: string | null;
  /** The deployment's payload, JSON; null until known (deploybot created it and no webhook came yet). */
  payload: string | null;
  /** The secret part of the log page's URL. */
  log_token: string;
  state: 'queued' | 'running' | 'finished';
  enqueued_at: number;
  started_at: number | null;
  finished_at: number | null;
  /** The process that claimed the job. */
  runner: string | null;
  /** The script's process group, so a restart can stop what the previous process left running. */
  pid: number | null;
  /** The job's working copy, so a restart can remove what the previous process left behind. */
  work_dir: string | null;
  outcome_state: 'success' | 'failure' | 'error' | null;
  outcome_description: string | null;
  environment_url: string | null;
  /** The newest status deploybot posted for this deployment. */
  posted_state: string | null;
  /** Whether the final status still has to reach GitHub: owed until posted (or given up). */
  final_status: 'owed' | 'posted' | 'abandoned' | null;
  /** Until when `runner` holds the running job (migration 0006); null: no lease, anyone may take it over. */
  lease_expires_at: number | null;
  /** The process posting the owed final status now, until `status_lease_expires_at`. */
  status_owner: string | null;
  status_lease_expires_at: number | null;
  /** When GitHub's refusal of the final status (401/403) was announced in Slack: once per job. */
  status_warned_at: number | null;
  /** Who asked, on another process, to cancel this running deploy (migration 0011). */
  cancel_requested_by: Generated<string | null>;
  /** Why the waiting job was told to wait, claimed before its `queued` status is posted (migration 0012). */
  queued_notice: Generated<'turn' | 'lock' | null>;
}

/** A deploy's output, in the order it arrived, already masked and capped. */
export interface DeployLogChunkTable {
  deployment_id: number;
  seq: number;
  text: string;
  created_at: number;
}

export interface DeployerTables {
  deploy_jobs: DeployJobTable;
  deploy_log_chunks: DeployLogChunkTable;
}

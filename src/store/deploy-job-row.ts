import type { Selectable } from 'kysely';
import { isDeploymentState } from '../core/deployment-state.js';
import type { DeployJob } from '../core/ports/deploy-job-store.js';
import type { DeployJobTable } from './deployer-schema.js';
import { deployJobPayloadColumn } from './records.js';

/** A `deploy_jobs` row as the job it records. */
export function toDeployJob(row: Selectable<DeployJobTable>): DeployJob {
  return {
    deploymentId: row.deployment_id,
    repository: row.repository,
    environment: row.environment,
    lane: row.lane,
    ref: row.ref,
    sha: row.sha,
    task: row.task ?? undefined,
    creator: row.creator ?? undefined,
    payload: row.payload === null ? undefined : deployJobPayloadColumn.decode(row.payload),
    logToken: row.log_token,
    enqueuedAt: row.enqueued_at,
    state: row.state,
    startedAt: row.started_at ?? undefined,
    finishedAt: row.finished_at ?? undefined,
    runner: row.runner ?? undefined,
    pid: row.pid ?? undefined,
    workDir: row.work_dir ?? undefined,
    outcome:
      row.outcome_state === null
        ? undefined
        : {
            state: row.outcome_state,
            description: row.outcome_description ?? '',
            ...(row.environment_url === null ? {} : { environmentUrl: row.environment_url }),
          },
    postedState: isDeploymentState(row.posted_state) ? row.posted_state : undefined,
    finalStatus: row.final_status ?? undefined,
    leaseExpiresAt: row.lease_expires_at ?? undefined,
  };
}

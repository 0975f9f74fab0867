import type { DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { Database } from './database.js';
import { toDeployJob } from './deploy-job-row.js';

/** The final status a finished job owes GitHub: who posts it, and what became of it. */
export type DeployJobStatusStore = Pick<
  DeployJobStore,
  | 'listDeployJobsOwingFinalStatus'
  | 'claimFinalDeployStatus'
  | 'recordFinalStatusWarned'
  | 'recordPostedDeployStatus'
  | 'settleFinalDeployStatus'
>;

export function createDeployJobStatusStore(db: Database): DeployJobStatusStore {
  return {
    async listDeployJobsOwingFinalStatus(limit) {
      const rows = await db
        .selectFrom('deploy_jobs')
        .selectAll()
        .where('final_status', '=', 'owed')
        .orderBy('finished_at')
        .orderBy('deployment_id')
        .limit(limit)
        .execute();
      return rows.map(toDeployJob);
    },

    async claimFinalDeployStatus(deploymentId, owner, now, until) {
      const result = await db
        .updateTable('deploy_jobs')
        .set({ status_owner: owner, status_lease_expires_at: until })
        .where('deployment_id', '=', deploymentId)
        .where('final_status', '=', 'owed')
        .where((eb) =>
          eb.or([
            eb('status_lease_expires_at', 'is', null),
            eb('status_lease_expires_at', '<=', now),
            eb('status_owner', '=', owner),
          ]),
        )
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async recordFinalStatusWarned(deploymentId, now) {
      const result = await db
        .updateTable('deploy_jobs')
        .set({ status_warned_at: now })
        .where('deployment_id', '=', deploymentId)
        .where('status_warned_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async recordPostedDeployStatus(deploymentId, state) {
      await db
        .updateTable('deploy_jobs')
        .set({ posted_state: state })
        .where('deployment_id', '=', deploymentId)
        .execute();
    },

    async settleFinalDeployStatus(deploymentId, result) {
      await db
        .updateTable('deploy_jobs')
        .set({ final_status: result })
        .where('deployment_id', '=', deploymentId)
        .execute();
    },
  };
}

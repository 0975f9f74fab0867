import type { DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { Database } from './database.js';
import { toDeployJob } from './deploy-job-row.js';
import { createDeployJobStatusStore } from './deploy-job-statuses.js';
import { appendDeployLogAfterLast } from './deploy-logs.js';
import { deployJobPayloadColumn } from './records.js';

export function createDeployJobStore(db: Database): DeployJobStore {
  return {
    ...createDeployJobStatusStore(db),
    recordDeployJob: (job, refusal, note) =>
      db.transaction().execute(async (trx) => {
        const result = await trx
          .insertInto('deploy_jobs')
          .values({
            deployment_id: job.deploymentId,
            repository: job.repository,
            environment: job.environment,
            lane: job.lane,
            ref: job.ref,
            sha: job.sha,
            task: job.task ?? null,
            creator: job.creator ?? null,
            payload: job.payload === undefined ? null : deployJobPayloadColumn.encode(job.payload ?? null),
            log_token: job.logToken,
            state: refusal ? 'finished' : 'queued',
            enqueued_at: job.enqueuedAt,
            started_at: null,
            finished_at: refusal ? job.enqueuedAt : null,
            runner: null,
            pid: null,
            work_dir: null,
            outcome_state: refusal?.state ?? null,
            outcome_description: refusal?.description ?? null,
            environment_url: refusal?.environmentUrl ?? null,
            posted_state: null,
            final_status: refusal ? 'owed' : null,
            lease_expires_at: null,
            status_owner: null,
            status_lease_expires_at: null,
            status_warned_at: null,
          })
          .onConflict((oc) => oc.column('deployment_id').doNothing())
          .executeTakeFirst();
        if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return 'duplicate';
        if (refusal && note !== undefined)
          await appendDeployLogAfterLast(trx, job.deploymentId, note, job.enqueuedAt);
        return 'recorded';
      }),

    async getDeployJob(deploymentId) {
      const row = await db
        .selectFrom('deploy_jobs')
        .selectAll()
        .where('deployment_id', '=', deploymentId)
        .executeTakeFirst();
      return row && toDeployJob(row);
    },

    async listUnfinishedDeployJobs(limit) {
      const rows = await db
        .selectFrom('deploy_jobs')
        .selectAll()
        .where('state', 'in', ['queued', 'running'])
        .orderBy('enqueued_at')
        .orderBy('deployment_id')
        .limit(limit)
        .execute();
      return rows.map(toDeployJob);
    },

    async fillDeployJobDetails(deploymentId, details) {
      await db
        .updateTable('deploy_jobs')
        .set({
          task: details.task,
          creator: details.creator ?? null,
          payload: deployJobPayloadColumn.encode(details.payload ?? null),
        })
        .where('deployment_id', '=', deploymentId)
        .where('payload', 'is', null)
        .execute();
    },

    async claimDeployJob(deploymentId, lane, runner, now, leaseMs) {
      try {
        const result = await db
          .updateTable('deploy_jobs')
          .set({
            state: 'running',
            started_at: now,
            runner,
            lease_expires_at: leaseMs === undefined ? null : now + leaseMs,
          })
          .where('deployment_id', '=', deploymentId)
          .where('state', '=', 'queued')
          // Saves a doomed write in the common case; the unique index (migration 0006) decides.
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('deploy_jobs as other')
                  .select('other.deployment_id')
                  .where('other.lane', '=', lane)
                  .where('other.state', '=', 'running'),
              ),
            ),
          )
          .executeTakeFirst();
        return Number(result.numUpdatedRows) > 0;
      } catch (error) {
        // Another process's job of the lane started between our check and our write.
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },

    async renewDeployJobLeases(runner, now, ttlMs) {
      const rows = await db
        .updateTable('deploy_jobs')
        .set({ lease_expires_at: now + ttlMs })
        .where('runner', '=', runner)
        .where('state', '=', 'running')
        .returning('deployment_id')
        .execute();
      return rows.map((row) => row.deployment_id);
    },

    async requestDeployJobCancel(deploymentId, by) {
      const result = await db
        .updateTable('deploy_jobs')
        .set({ cancel_requested_by: by })
        .where('deployment_id', '=', deploymentId)
        .where('state', '=', 'running')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async listCancelRequests(runner) {
      const rows = await db
        .selectFrom('deploy_jobs')
        .select(['deployment_id', 'cancel_requested_by'])
        .where('runner', '=', runner)
        .where('state', '=', 'running')
        .where('cancel_requested_by', 'is not', null)
        .execute();
      return rows.map((row) => ({
        deploymentId: row.deployment_id,
        by: row.cancel_requested_by ?? 'someone',
      }));
    },

    async takeOverDeployJob(deploymentId, held, runner, now, ttlMs) {
      const result = await db
        .updateTable('deploy_jobs')
        .set({ runner, lease_expires_at: now + ttlMs })
        .where('deployment_id', '=', deploymentId)
        .where('state', '=', 'running')
        .where('runner', held.runner === undefined ? 'is' : '=', held.runner ?? null)
        .where(
          'lease_expires_at',
          held.leaseExpiresAt === undefined ? 'is' : '=',
          held.leaseExpiresAt ?? null,
        )
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async recordDeployJobPid(deploymentId, pid) {
      await db.updateTable('deploy_jobs').set({ pid }).where('deployment_id', '=', deploymentId).execute();
    },

    async recordDeployJobWorkDir(deploymentId, workDir) {
      await db
        .updateTable('deploy_jobs')
        .set({ work_dir: workDir })
        .where('deployment_id', '=', deploymentId)
        .execute();
    },

    finishDeployJob: (deploymentId, from, outcome, now, note) =>
      db.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('deploy_jobs')
          .set({
            state: 'finished',
            finished_at: now,
            outcome_state: outcome.state,
            outcome_description: outcome.description,
            environment_url: outcome.environmentUrl ?? null,
            final_status: 'owed',
            lease_expires_at: null,
          })
          .where('deployment_id', '=', deploymentId)
          .where('state', '=', from)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return false;
        if (note !== undefined) await appendDeployLogAfterLast(trx, deploymentId, note, now);
        return true;
      }),

    async requeueDeployJob(deploymentId) {
      const result = await db
        .updateTable('deploy_jobs')
        .set({
          state: 'queued',
          started_at: null,
          runner: null,
          pid: null,
          work_dir: null,
          lease_expires_at: null,
        })
        .where('deployment_id', '=', deploymentId)
        .where('state', '=', 'running')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async claimQueuedNotice(deploymentId, why) {
      const claim = (before: 'turn' | null) =>
        db
          .updateTable('deploy_jobs')
          .set({ queued_notice: why })
          .where('deployment_id', '=', deploymentId)
          .where('state', '=', 'queued')
          .where('queued_notice', before === null ? 'is' : '=', before)
          .executeTakeFirst()
          .then((result) => Number(result.numUpdatedRows) > 0);
      if (await claim(null)) return 'first';
      return why === 'lock' && (await claim('turn')) ? 'again' : false;
    },
  };
}

/**
 * A write the one-running-job-per-lane index refused, told by the driver's code: PostgreSQL's
 * SQLSTATE 23505, SQLite's extended result code (better-sqlite3 puts both on `code`).
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT';
}

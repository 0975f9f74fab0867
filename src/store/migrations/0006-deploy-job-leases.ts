import { type Kysely, type Migration, sql } from 'kysely';

/** What a job gets when it shared its lane with another running job as the unique index came. */
const ORPHANED = 'the deploybot process running it stopped';

/**
 * Deploy jobs are held by a lease that their runner renews, so another process can tell a job
 * whose process died from one still running; the database itself keeps one running job per
 * lane (a unique partial index), since a NOT EXISTS check is write skew under READ COMMITTED.
 * An owed final status is claimed the same way, so one process at a time posts it.
 */
export const deployJobLeasesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('deploy_jobs').addColumn('lease_expires_at', 'bigint').execute();
    await db.schema.alterTable('deploy_jobs').addColumn('status_owner', 'varchar(100)').execute();
    await db.schema.alterTable('deploy_jobs').addColumn('status_lease_expires_at', 'bigint').execute();
    await db.schema.alterTable('deploy_jobs').addColumn('status_warned_at', 'bigint').execute();
    // The write skew this index ends may have left two running jobs in a lane: all but the
    // first one finish in error (their status owed), or the index could not be made.
    await sql`
      update deploy_jobs
      set state = 'finished',
          finished_at = coalesce(started_at, enqueued_at),
          outcome_state = 'error',
          outcome_description = ${ORPHANED},
          final_status = 'owed'
      where state = 'running'
        and deployment_id not in (
          select min(deployment_id) from deploy_jobs where state = 'running' group by lane
        )
    `.execute(db);
    await db.schema
      .createIndex('deploy_jobs_one_running_per_lane')
      .on('deploy_jobs')
      .column('lane')
      .unique()
      .where(sql.ref('state'), '=', 'running')
      .execute();
  },
};

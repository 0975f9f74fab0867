import { type Kysely, type Migration, sql } from 'kysely';

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
    await db.schema
      .createIndex('deploy_jobs_one_running_per_lane')
      .on('deploy_jobs')
      .column('lane')
      .unique()
      .where(sql.ref('state'), '=', 'running')
      .execute();
  },
};

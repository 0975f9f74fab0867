import type { Kysely, Migration } from 'kysely';

export const deployerMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('deploy_jobs')
      .addColumn('deployment_id', 'bigint', (c) => c.primaryKey())
      .addColumn('repository', 'varchar(300)', (c) => c.notNull())
      .addColumn('environment', 'varchar(100)', (c) => c.notNull())
      .addColumn('lane', 'varchar(400)', (c) => c.notNull())
      .addColumn('ref', 'text', (c) => c.notNull())
      .addColumn('sha', 'varchar(64)', (c) => c.notNull())
      .addColumn('task', 'text')
      .addColumn('creator', 'varchar(100)')
      .addColumn('payload', 'text')
      .addColumn('log_token', 'varchar(64)', (c) => c.notNull())
      .addColumn('state', 'varchar(20)', (c) => c.notNull())
      .addColumn('enqueued_at', 'bigint', (c) => c.notNull())
      .addColumn('started_at', 'bigint')
      .addColumn('finished_at', 'bigint')
      .addColumn('runner', 'varchar(64)')
      .addColumn('pid', 'integer')
      .addColumn('work_dir', 'text')
      .addColumn('outcome_state', 'varchar(20)')
      .addColumn('outcome_description', 'text')
      .addColumn('environment_url', 'text')
      .addColumn('posted_state', 'varchar(20)')
      .addColumn('final_status', 'varchar(20)')
      .execute();
    await db.schema
      .createIndex('deploy_jobs_unfinished')
      .on('deploy_jobs')
      .columns(['state', 'enqueued_at'])
      .execute();
    await db.schema.createIndex('deploy_jobs_lane').on('deploy_jobs').columns(['lane', 'state']).execute();
    await db.schema.createIndex('deploy_jobs_final').on('deploy_jobs').columns(['final_status']).execute();

    await db.schema
      .createTable('deploy_log_chunks')
      .addColumn('deployment_id', 'bigint', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('deploy_log_chunks_pk', ['deployment_id', 'seq'])
      .execute();
  },
};

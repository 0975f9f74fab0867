import type { Kysely, Migration } from 'kysely';

/**
 * A cancel asked of a deploy that runs on another process: recorded on its row, and seen by the
 * process running it at its next heartbeat, which stops it.
 */
export const deployJobCancelsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('deploy_jobs').addColumn('cancel_requested_by', 'varchar(100)').execute();
  },
};

import type { Kysely, Migration } from 'kysely';

/**
 * Why a waiting job was told to wait (`turn` or `lock`), claimed in the store before its `queued`
 * status is posted: of several processes looking at the queue, one tells GitHub, once.
 */
export const queuedNoticesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('deploy_jobs').addColumn('queued_notice', 'varchar(10)').execute();
  },
};

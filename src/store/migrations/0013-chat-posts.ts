import type { Kysely, Migration } from 'kysely';

/**
 * Each keyed Slack post deploybot is about to make (an announcement, a status line), recorded
 * before it is posted: a process that finds one already there knows an earlier try may have
 * posted it and looks for it in Slack rather than post it twice.
 */
export const chatPostsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('chat_posts')
      .addColumn('key', 'varchar(200)', (c) => c.primaryKey())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('chat_posts_created').on('chat_posts').column('created_at').execute();
  },
};

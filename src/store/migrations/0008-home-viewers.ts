import type { Kysely, Migration } from 'kysely';

/** Who opened the App Home, and when: their boards are republished while they are recent. */
export const homeViewersMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('home_viewers')
      .addColumn('user_id', 'varchar(100)', (c) => c.primaryKey())
      .addColumn('opened_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('home_viewers_opened_at').on('home_viewers').column('opened_at').execute();
  },
};

import type { Kysely, Migration } from 'kysely';

/** The latest status seen of each deployment, so reading what runs where needs few GitHub calls. */
export const knownStatusesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('known_statuses')
      .addColumn('deployment_id', 'bigint', (c) => c.primaryKey())
      .addColumn('repository', 'varchar(200)', (c) => c.notNull())
      .addColumn('status_id', 'bigint', (c) => c.notNull())
      .addColumn('state', 'varchar(20)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('log_url', 'text')
      .addColumn('environment_url', 'text')
      .execute();
    // Retention deletes by age.
    await db.schema.createIndex('known_statuses_created').on('known_statuses').column('created_at').execute();
  },
};

import type { Kysely, Migration } from 'kysely';

export const leasesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('leases')
      .addColumn('key', 'varchar(400)', (c) => c.primaryKey())
      .addColumn('owner', 'varchar(100)', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('leases_owner').on('leases').column('owner').execute();
  },
};

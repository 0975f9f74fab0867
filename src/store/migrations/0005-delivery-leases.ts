import type { Kysely, Migration } from 'kysely';

/** Deliveries are claimed by a process with a lease, so several processes share one inbox. */
export const deliveryLeasesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('webhook_deliveries').addColumn('lease_owner', 'varchar(100)').execute();
    await db.schema.alterTable('webhook_deliveries').addColumn('lease_expires_at', 'bigint').execute();
    await db.schema
      .createIndex('webhook_deliveries_partition')
      .on('webhook_deliveries')
      .columns(['partition_key', 'state', 'received_at'])
      .execute();
  },
};

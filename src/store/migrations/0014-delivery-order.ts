import { type Kysely, type Migration, PostgresAdapter, sql } from 'kysely';

/**
 * The order deliveries reached the store, as the database counts it: their receipt times are
 * milliseconds of several processes' clocks, and two deliveries of one repository stored in the
 * same millisecond must still be handled in the order they came.
 */
export const deliveryOrderMigration: Migration = {
  async up(db: Kysely<unknown>) {
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`alter table webhook_deliveries add column seq bigserial`.execute(db);
    } else {
      await db.schema.alterTable('webhook_deliveries').addColumn('seq', 'integer').execute();
      await sql`update webhook_deliveries set seq = rowid`.execute(db);
      // SQLite's rowid grows with each insert: the same count, given to every new row.
      await sql`
        create trigger webhook_deliveries_seq after insert on webhook_deliveries
        begin
          update webhook_deliveries set seq = new.rowid where rowid = new.rowid;
        end
      `.execute(db);
    }
    await db.schema
      .createIndex('webhook_deliveries_partition_seq')
      .on('webhook_deliveries')
      .columns(['partition_key', 'state', 'seq'])
      .execute();
  },
};

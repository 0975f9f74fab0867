import { type Kysely, type Migration, PostgresAdapter, sql } from 'kysely';

/**
 * On SQLite, a delivery's `seq` becomes the table's rowid, which SQLite numbers as it inserts:
 * the trigger of migration 0014 rewrote each new row (and its index entry) to copy the rowid
 * into `seq`, about a fifth of the cost of storing a webhook (README, Performance). The table is
 * rebuilt, as SQLite changes a primary key no other way; `delivery_id` stays unique. PostgreSQL's
 * `bigserial` already numbers rows as they are inserted.
 */
export const deliverySeqRowidMigration: Migration = {
  async up(db: Kysely<unknown>) {
    if (db.getExecutor().adapter instanceof PostgresAdapter) return;
    const columns = sql.raw(
      'delivery_id, event, action, partition_key, payload, state, attempts, last_error, received_at, next_attempt_at, processed_at, lease_owner, lease_expires_at',
    );
    await sql`drop trigger webhook_deliveries_seq`.execute(db);
    await sql`
      create table webhook_deliveries_next (
        seq integer primary key,
        delivery_id varchar(100) not null unique,
        event varchar(100) not null,
        action varchar(100),
        partition_key varchar(300) not null,
        payload text not null,
        state varchar(20) not null,
        attempts integer default 0 not null,
        last_error text,
        received_at bigint not null,
        next_attempt_at bigint not null,
        processed_at bigint,
        lease_owner varchar(100),
        lease_expires_at bigint
      )
    `.execute(db);
    // Every row's seq was its rowid (migration 0014 set it so, and the trigger since).
    await sql`
      insert into webhook_deliveries_next (seq, ${columns})
      select coalesce(seq, rowid), ${columns} from webhook_deliveries
    `.execute(db);
    await sql`drop table webhook_deliveries`.execute(db);
    await sql`alter table webhook_deliveries_next rename to webhook_deliveries`.execute(db);
    await db.schema
      .createIndex('webhook_deliveries_pending')
      .on('webhook_deliveries')
      .columns(['state', 'received_at'])
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_state_partition_seq')
      .on('webhook_deliveries')
      .columns(['state', 'partition_key', 'seq'])
      .execute();
  },
};

import type { Kysely, Migration } from 'kysely';

export const coreLoopMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('delivery_id', 'varchar(100)', (c) => c.primaryKey())
      .addColumn('event', 'varchar(100)', (c) => c.notNull())
      .addColumn('action', 'varchar(100)')
      .addColumn('partition_key', 'varchar(300)', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('state', 'varchar(20)', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('processed_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_pending')
      .on('webhook_deliveries')
      .columns(['state', 'received_at'])
      .execute();

    await db.schema
      .createTable('announcements')
      .addColumn('deployment_id', 'bigint', (c) => c.primaryKey())
      .addColumn('repository', 'varchar(300)', (c) => c.notNull())
      .addColumn('channel', 'varchar(50)', (c) => c.notNull())
      .addColumn('ts', 'varchar(50)', (c) => c.notNull())
      .addColumn('status_id', 'bigint', (c) => c.notNull())
      .addColumn('state', 'varchar(20)', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('announced_statuses')
      .addColumn('status_id', 'bigint', (c) => c.primaryKey())
      .addColumn('deployment_id', 'bigint', (c) => c.notNull())
      .addColumn('ts', 'varchar(50)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('pending_deploys')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('repository', 'varchar(300)', (c) => c.notNull())
      .addColumn('sha', 'varchar(64)', (c) => c.notNull())
      .addColumn('environment', 'varchar(100)', (c) => c.notNull())
      .addColumn('request', 'text', (c) => c.notNull())
      .addColumn('channel', 'varchar(50)', (c) => c.notNull())
      .addColumn('message_ts', 'varchar(50)')
      .addColumn('waiting_for', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('pending_deploys_commit')
      .on('pending_deploys')
      .columns(['repository', 'sha'])
      .execute();
  },
};

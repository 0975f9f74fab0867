import type { Kysely, Migration } from 'kysely';

export const chatMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('locks')
      .addColumn('repository', 'varchar(300)', (c) => c.notNull())
      .addColumn('environment', 'varchar(100)', (c) => c.notNull())
      .addColumn('holder', 'varchar(50)', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('locked_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .addPrimaryKeyConstraint('locks_pk', ['repository', 'environment'])
      .execute();

    await db.schema
      .createTable('confirmations')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('kind', 'varchar(30)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(50)', (c) => c.notNull())
      .addColumn('channel', 'varchar(50)', (c) => c.notNull())
      .addColumn('request', 'text', (c) => c.notNull())
      .addColumn('state', 'varchar(20)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('decided_by', 'varchar(50)')
      .addColumn('decided_at', 'bigint')
      .execute();

    await db.schema
      .createTable('lock_waits')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('repository', 'varchar(300)', (c) => c.notNull())
      .addColumn('environment', 'varchar(100)', (c) => c.notNull())
      .addColumn('request', 'text', (c) => c.notNull())
      .addColumn('channel', 'varchar(50)', (c) => c.notNull())
      .addColumn('message_ts', 'varchar(50)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('lock_waits_environment')
      .on('lock_waits')
      .columns(['repository', 'environment', 'seq'])
      .execute();
  },
};

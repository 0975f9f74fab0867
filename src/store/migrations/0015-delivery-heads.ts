import type { Kysely, Migration } from 'kysely';

/**
 * The inbox finds each repository's oldest pending delivery by walking an index of pending rows
 * by repository, a step per repository, however long the backlog: the indexes led by
 * `partition_key` made it read every pending row (and, by state, the done ones too) per claim.
 */
export const deliveryHeadsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('webhook_deliveries_state_partition_seq')
      .on('webhook_deliveries')
      .columns(['state', 'partition_key', 'seq'])
      .execute();
    // Each index is written on every insert and state change: these two no longer serve a query.
    await db.schema.dropIndex('webhook_deliveries_partition').execute();
    await db.schema.dropIndex('webhook_deliveries_partition_seq').execute();
  },
};

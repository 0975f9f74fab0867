import type { Migration, MigrationProvider } from 'kysely';
import { coreLoopMigration } from './0001-core-loop.js';

// Append-only: a released migration is never edited; a change adds the next entry.
// Names sort in the order they run.
const migrations: Record<string, Migration> = {
  '0001-core-loop': coreLoopMigration,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

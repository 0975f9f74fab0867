import { sql } from 'kysely';
import type { LockWaitStore } from '../core/ports/lock-wait-store.js';
import { repoKey } from '../core/repo-key.js';
import type { Database } from './database.js';
import { lockWaitRequestColumn } from './records.js';

export function createLockWaitStore(db: Database): LockWaitStore {
  return {
    async saveLockWait(w) {
      await db
        .insertInto('lock_waits')
        .values({
          id: w.id,
          seq: sql<number>`(select coalesce(max(seq), 0) + 1 from lock_waits)`,
          repository: repoKey(w.repository),
          environment: w.environment,
          request: lockWaitRequestColumn.encode(w.request),
          channel: w.channel,
          message_ts: w.messageTs ?? null,
          created_at: w.createdAt,
        })
        .execute();
    },

    async listLockWaits(repository, environment) {
      const rows = await db
        .selectFrom('lock_waits')
        .selectAll()
        .where('repository', '=', repoKey(repository))
        .where('environment', '=', environment)
        .orderBy('seq')
        .execute();
      return rows.map((row) => ({
        id: row.id,
        repository: row.repository,
        environment: row.environment,
        request: lockWaitRequestColumn.decode(row.request),
        channel: row.channel,
        messageTs: row.message_ts ?? undefined,
        createdAt: row.created_at,
      }));
    },

    async listLockWaitTargets() {
      return db.selectFrom('lock_waits').select(['repository', 'environment']).distinct().execute();
    },

    async removeLockWait(id) {
      const result = await db.deleteFrom('lock_waits').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

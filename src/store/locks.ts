import type { Lock } from '../core/lock-policy.js';
import type { LockStore } from '../core/ports/lock-store.js';
import { repoKey } from '../core/repo-key.js';
import type { Database } from './database.js';

type LockRow = {
  repository: string;
  environment: string;
  holder: string;
  reason: string | null;
  locked_at: number;
  expires_at: number | null;
};

function toLock(row: LockRow): Lock {
  return {
    repository: row.repository,
    environment: row.environment,
    holder: row.holder,
    ...(row.reason === null ? {} : { reason: row.reason }),
    lockedAt: row.locked_at,
    ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
  };
}

/** Locks are keyed by the repository's lower-cased full name and the environment's canonical name. */
export function createLockStore(db: Database): LockStore {
  return {
    async getLock(repository, environment) {
      const row = await db
        .selectFrom('locks')
        .selectAll()
        .where('repository', '=', repoKey(repository))
        .where('environment', '=', environment)
        .executeTakeFirst();
      return row ? toLock(row) : undefined;
    },

    async listLocks(repository) {
      const rows = await db
        .selectFrom('locks')
        .selectAll()
        .where('repository', '=', repoKey(repository))
        .execute();
      return rows.map(toLock);
    },

    async replaceLock(next, expected) {
      const repository = repoKey(next.repository);
      const values = {
        holder: next.holder,
        reason: next.reason ?? null,
        locked_at: next.lockedAt,
        expires_at: next.expiresAt ?? null,
      };
      if (expected === undefined) {
        const result = await db
          .insertInto('locks')
          .values({ repository, environment: next.environment, ...values })
          .onConflict((oc) => oc.columns(['repository', 'environment']).doNothing())
          .executeTakeFirst();
        return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
      }
      const result = await db
        .updateTable('locks')
        .set(values)
        .where('repository', '=', repository)
        .where('environment', '=', next.environment)
        .where('holder', '=', expected.holder)
        .where('locked_at', '=', expected.lockedAt)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async removeLock(lock) {
      const result = await db
        .deleteFrom('locks')
        .where('repository', '=', repoKey(lock.repository))
        .where('environment', '=', lock.environment)
        .where('holder', '=', lock.holder)
        .where('locked_at', '=', lock.lockedAt)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async listExpiredLocks(now) {
      const rows = await db
        .selectFrom('locks')
        .selectAll()
        .where('expires_at', 'is not', null)
        .where('expires_at', '<=', now)
        .execute();
      return rows.map(toLock);
    },
  };
}

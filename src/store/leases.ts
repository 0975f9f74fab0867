import type { LeaseStore } from '../core/ports/lease-store.js';
import type { Database } from './database.js';

export function createLeaseStore(db: Database): LeaseStore {
  return {
    async acquireLease(key, owner, now, ttlMs) {
      // One statement: insert, or take over a lease that expired or is already ours.
      const row = await db
        .insertInto('leases')
        .values({ key, owner, expires_at: now + ttlMs })
        .onConflict((oc) =>
          oc
            .column('key')
            .doUpdateSet({ owner, expires_at: now + ttlMs })
            .where((eb) => eb.or([eb('leases.expires_at', '<=', now), eb('leases.owner', '=', owner)])),
        )
        .returning('owner')
        .executeTakeFirst();
      return row?.owner === owner;
    },

    async renewLeases(owner, now, ttlMs) {
      const rows = await db
        .updateTable('leases')
        .set({ expires_at: now + ttlMs })
        .where('owner', '=', owner)
        // A lease that expired may have been taken over by now; renewing it would steal it back.
        .where('expires_at', '>', now)
        .returning('key')
        .execute();
      return rows.map((row) => row.key);
    },

    async releaseLease(key, owner) {
      await db.deleteFrom('leases').where('key', '=', key).where('owner', '=', owner).execute();
    },

    async getLease(key) {
      const row = await db.selectFrom('leases').selectAll().where('key', '=', key).executeTakeFirst();
      return row && { key: row.key, owner: row.owner, expiresAt: row.expires_at };
    },
  };
}

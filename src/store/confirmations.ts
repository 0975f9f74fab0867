import type { ConfirmationStore } from '../core/ports/confirmation-store.js';
import type { Database } from './database.js';

export function createConfirmationStore(db: Database): ConfirmationStore {
  return {
    async saveConfirmation(c) {
      await db
        .insertInto('confirmations')
        .values({
          id: c.id,
          kind: c.kind,
          user_id: c.userId,
          channel: c.channel,
          request: JSON.stringify(c.request),
          state: 'open',
          created_at: c.createdAt,
          expires_at: c.expiresAt,
          decided_by: null,
          decided_at: null,
        })
        .execute();
    },

    async getConfirmation(id) {
      const row = await db.selectFrom('confirmations').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      return {
        id: row.id,
        kind: row.kind,
        userId: row.user_id,
        channel: row.channel,
        request: JSON.parse(row.request) as unknown,
        state: row.state,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      };
    },

    async decideConfirmation(id, state, by, now) {
      const result = await db
        .updateTable('confirmations')
        .set({ state, decided_by: by, decided_at: now })
        .where('id', '=', id)
        .where('state', '=', 'open')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

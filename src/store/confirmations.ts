import { DeploybotError } from '../core/errors.js';
import type { ConfirmationStore } from '../core/ports/confirmation-store.js';
import type { Database } from './database.js';
import { chatDeployPlanColumn, lockTakeoverColumn } from './records.js';

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
          request:
            c.kind === 'steal'
              ? lockTakeoverColumn.encode(c.request)
              : chatDeployPlanColumn.encode(c.request),
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
      const base = {
        id: row.id,
        userId: row.user_id,
        channel: row.channel,
        state: row.state,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      };
      if (row.kind === 'steal')
        return { ...base, kind: row.kind, request: lockTakeoverColumn.decode(row.request) };
      if (row.kind === 'deploy' || row.kind === 'force' || row.kind === 'approval') {
        return { ...base, kind: row.kind, request: chatDeployPlanColumn.decode(row.request) };
      }
      throw new DeploybotError('store_record_invalid', `confirmation ${row.id} has an unknown kind`, {
        details: { column: 'confirmations.kind' },
      });
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

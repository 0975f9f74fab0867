import type { AnnouncementStore } from '../core/ports/announcement-store.js';
import type { Database } from './database.js';

export function createAnnouncementStore(db: Database): AnnouncementStore {
  return {
    async getAnnouncement(deploymentId) {
      const row = await db
        .selectFrom('announcements')
        .selectAll()
        .where('deployment_id', '=', deploymentId)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        deploymentId: row.deployment_id,
        repository: row.repository,
        channel: row.channel,
        ts: row.ts,
        statusId: row.status_id,
        state: row.state,
      };
    },

    async saveAnnouncement(a, now) {
      await db
        .insertInto('announcements')
        .values({
          deployment_id: a.deploymentId,
          repository: a.repository,
          channel: a.channel,
          ts: a.ts,
          status_id: a.statusId,
          state: a.state,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.column('deployment_id').doUpdateSet({
            // A deleted announcement is posted again: later statuses update the new message.
            channel: a.channel,
            ts: a.ts,
            status_id: a.statusId,
            state: a.state,
            updated_at: now,
          }),
        )
        .execute();
    },

    async hasAnnouncedStatus(statusId) {
      const row = await db
        .selectFrom('announced_statuses')
        .select('status_id')
        .where('status_id', '=', statusId)
        .executeTakeFirst();
      return row !== undefined;
    },

    async beginChatPost(key, now) {
      const inserted = await db
        .insertInto('chat_posts')
        .values({ key, created_at: now })
        .onConflict((oc) => oc.column('key').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return undefined;
      const row = await db
        .selectFrom('chat_posts')
        .select('created_at')
        .where('key', '=', key)
        .executeTakeFirst();
      return row?.created_at ?? now;
    },

    async recordAnnouncedStatus(statusId, deploymentId, ts, now) {
      await db
        .insertInto('announced_statuses')
        .values({ status_id: statusId, deployment_id: deploymentId, ts, created_at: now })
        .onConflict((oc) => oc.column('status_id').doNothing())
        .execute();
    },
  };
}

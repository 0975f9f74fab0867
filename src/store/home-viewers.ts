import type { HomeViewerStore } from '../core/ports/home-viewer-store.js';
import type { Database } from './database.js';

export function createHomeViewerStore(db: Database): HomeViewerStore {
  return {
    async recordHomeViewer(userId, openedAt) {
      // An opening never moves the time back: events can arrive out of order.
      await db
        .insertInto('home_viewers')
        .values({ user_id: userId, opened_at: openedAt })
        .onConflict((oc) =>
          oc
            .column('user_id')
            .doUpdateSet({ opened_at: openedAt })
            .where('home_viewers.opened_at', '<', openedAt),
        )
        .execute();
    },

    async listHomeViewers(since) {
      const rows = await db
        .selectFrom('home_viewers')
        .selectAll()
        .where('opened_at', '>=', since)
        .orderBy('opened_at')
        .orderBy('user_id')
        .execute();
      return rows.map((row) => ({ userId: row.user_id, openedAt: Number(row.opened_at) }));
    },

    async forgetHomeViewers(before) {
      const result = await db.deleteFrom('home_viewers').where('opened_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

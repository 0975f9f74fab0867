import { isDeploymentState } from '../core/deployment-state.js';
import { type KnownStatus, mergeKnownStatus } from '../core/known-status.js';
import type { KnownStatusStore } from '../core/ports/known-status-store.js';
import type { Database } from './database.js';

// Far below both databases' limits on bound parameters.
const BATCH = 200;

export function createKnownStatusStore(db: Database): KnownStatusStore {
  async function getKnownStatuses(ids: readonly number[]): Promise<Map<number, KnownStatus>> {
    const known = new Map<number, KnownStatus>();
    for (let i = 0; i < ids.length; i += BATCH) {
      const rows = await db
        .selectFrom('known_statuses')
        .selectAll()
        .where('deployment_id', 'in', ids.slice(i, i + BATCH))
        .execute();
      for (const row of rows) {
        if (!isDeploymentState(row.state)) continue;
        known.set(row.deployment_id, {
          deploymentId: row.deployment_id,
          repository: row.repository,
          statusId: row.status_id,
          state: row.state,
          createdAt: row.created_at,
          ...(row.log_url === null ? {} : { logUrl: row.log_url }),
          ...(row.environment_url === null ? {} : { environmentUrl: row.environment_url }),
        });
      }
    }
    return known;
  }

  return {
    getKnownStatuses,
    async rememberStatuses(statuses) {
      if (statuses.length === 0) return;
      // Read, merge, write in one transaction: the merge rule lives in core, not in SQL.
      await db.transaction().execute(async (trx) => {
        const known = await createKnownStatusStore(trx).getKnownStatuses(statuses.map((s) => s.deploymentId));
        for (const status of statuses) {
          const merged = mergeKnownStatus(known.get(status.deploymentId), status);
          if (merged === known.get(status.deploymentId)) continue;
          known.set(status.deploymentId, merged);
          const values = {
            repository: merged.repository,
            status_id: merged.statusId,
            state: merged.state,
            created_at: merged.createdAt,
            log_url: merged.logUrl ?? null,
            environment_url: merged.environmentUrl ?? null,
          };
          await trx
            .insertInto('known_statuses')
            .values({ deployment_id: merged.deploymentId, ...values })
            .onConflict((oc) =>
              oc
                .column('deployment_id')
                .doUpdateSet(values)
                // Another process may have stored a newer one since it was read.
                .where('known_statuses.status_id', '<=', merged.statusId),
            )
            .execute();
        }
      });
    },
  };
}

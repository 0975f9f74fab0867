import { sql } from 'kysely';
import { isDeploymentState } from '../core/deployment-state.js';
import type { KnownStatus } from '../core/known-status.js';
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

  /**
   * mergeKnownStatus (core) as one conditional upsert: the newer status wins, keeping the log of
   * the one it replaces when it has none, and an older one only lends its log to a status without.
   * One statement, so no transaction holds SQLite's connection across a read and a write, and
   * another process's newer status is never overwritten. test/store/known-statuses.test.ts checks
   * it against mergeKnownStatus for random orders of arrival.
   */
  async function rememberStatus(status: KnownStatus): Promise<void> {
    const newer = sql<boolean>`excluded.status_id > known_statuses.status_id`;
    const pick = <T>(column: string) =>
      sql<T>`case when ${newer} then ${sql.ref(`excluded.${column}`)} else ${sql.ref(`known_statuses.${column}`)} end`;
    await db
      .insertInto('known_statuses')
      .values({
        deployment_id: status.deploymentId,
        repository: status.repository,
        status_id: status.statusId,
        state: status.state,
        created_at: status.createdAt,
        log_url: status.logUrl ?? null,
        environment_url: status.environmentUrl ?? null,
      })
      .onConflict((oc) =>
        oc
          .column('deployment_id')
          .doUpdateSet({
            repository: pick<string>('repository'),
            status_id: pick<number>('status_id'),
            state: pick<string>('state'),
            created_at: pick<number>('created_at'),
            environment_url: pick<string | null>('environment_url'),
            log_url: sql<
              string | null
            >`case when ${newer} then coalesce(excluded.log_url, known_statuses.log_url) else coalesce(known_statuses.log_url, excluded.log_url) end`,
          })
          // Nothing to write for an older status, or the same one again, unless it brings a missing log.
          .where((eb) =>
            eb.or([
              newer,
              eb.and([
                eb('known_statuses.log_url', 'is', null),
                eb(sql.ref('excluded.log_url'), 'is not', null),
              ]),
            ]),
          ),
      )
      .execute();
  }

  return {
    getKnownStatuses,
    async rememberStatuses(statuses) {
      // A deployment's statuses in the order given; different deployments' side by side.
      const byDeployment = new Map<number, KnownStatus[]>();
      for (const status of statuses) {
        const queue = byDeployment.get(status.deploymentId);
        if (queue) queue.push(status);
        else byDeployment.set(status.deploymentId, [status]);
      }
      await Promise.all(
        [...byDeployment.values()].map(async (queue) => {
          for (const status of queue) await rememberStatus(status);
        }),
      );
    },
  };
}

import type { DeployLogStore } from '../core/ports/deploy-log-store.js';
import type { Database } from './database.js';

export function createDeployLogStore(db: Database): DeployLogStore {
  return {
    async appendDeployLog(deploymentId, seq, text, now) {
      await db
        .insertInto('deploy_log_chunks')
        .values({ deployment_id: deploymentId, seq, text, created_at: now })
        .execute();
    },

    async readDeployLog(deploymentId, afterSeq, limit) {
      return db
        .selectFrom('deploy_log_chunks')
        .select(['seq', 'text'])
        .where('deployment_id', '=', deploymentId)
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(limit)
        .execute();
    },

    async lastDeployLogSeq(deploymentId) {
      return lastSeqIn(db, deploymentId);
    },

    async lastDeployLogAt(deploymentId) {
      const row = await db
        .selectFrom('deploy_log_chunks')
        .select((eb) => eb.fn.max('created_at').as('last'))
        .where('deployment_id', '=', deploymentId)
        .executeTakeFirst();
      return row?.last === null || row?.last === undefined ? undefined : Number(row.last);
    },
  };
}

async function lastSeqIn(db: Database, deploymentId: number): Promise<number> {
  const row = await db
    .selectFrom('deploy_log_chunks')
    .select((eb) => eb.fn.max('seq').as('last'))
    .where('deployment_id', '=', deploymentId)
    .executeTakeFirst();
  return Number(row?.last ?? 0);
}

/**
 * Appends `text` as the chunk after the newest. For deploybot's closing notes, written in the
 * transaction that finishes the job, once nothing else writes to the log.
 */
export async function appendDeployLogAfterLast(
  db: Database,
  deploymentId: number,
  text: string,
  now: number,
): Promise<void> {
  const seq = (await lastSeqIn(db, deploymentId)) + 1;
  await db
    .insertInto('deploy_log_chunks')
    .values({ deployment_id: deploymentId, seq, text, created_at: now })
    .execute();
}

import type { Database } from './database.js';

export interface DeployLogChunk {
  readonly seq: number;
  readonly text: string;
}

export interface DeployLogStore {
  /** Stores one chunk; `seq` counts from 1 per deployment. */
  appendDeployLog(deploymentId: number, seq: number, text: string, now: number): Promise<void>;
  /** The chunks after `afterSeq`, in order, at most `limit`. */
  readDeployLog(deploymentId: number, afterSeq: number, limit: number): Promise<DeployLogChunk[]>;
  /** The seq of the newest chunk, 0 when there is none. */
  lastDeployLogSeq(deploymentId: number): Promise<number>;
}

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

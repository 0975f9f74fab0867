import type { Selectable } from 'kysely';
import type { PendingDeploy, PendingDeployStore } from '../core/ports/pending-deploy-store.js';
import { repoKey } from '../core/repo-key.js';
import type { Database } from './database.js';
import { pendingDeployRequestColumn, waitingForColumn } from './records.js';
import type { PendingDeployTable } from './schema.js';

export function createPendingDeployStore(db: Database): PendingDeployStore {
  return {
    async savePendingDeploy(p) {
      const values = {
        id: p.id,
        repository: repoKey(p.repository),
        sha: p.sha,
        environment: p.environment,
        request: pendingDeployRequestColumn.encode(p.request),
        channel: p.channel,
        message_ts: p.messageTs ?? null,
        waiting_for: waitingForColumn.encode(p.waitingFor),
        created_at: p.createdAt,
      };
      await db
        .insertInto('pending_deploys')
        .values(values)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({ message_ts: values.message_ts, waiting_for: values.waiting_for }),
        )
        .execute();
    },

    async listPendingDeploys(repository, sha) {
      const rows = await db
        .selectFrom('pending_deploys')
        .selectAll()
        .where('repository', '=', repoKey(repository))
        .where('sha', '=', sha)
        .orderBy('created_at')
        .execute();
      return rows.map(toPendingDeploy);
    },

    async listAllPendingDeploys(limit) {
      const rows = await db
        .selectFrom('pending_deploys')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toPendingDeploy);
    },

    async listPendingDeploysTo(repository, environment) {
      const rows = await db
        .selectFrom('pending_deploys')
        .selectAll()
        .where('repository', '=', repoKey(repository))
        .where('environment', '=', environment)
        .orderBy('created_at')
        .execute();
      return rows.map(toPendingDeploy);
    },

    async removePendingDeploy(id) {
      await db.deleteFrom('pending_deploys').where('id', '=', id).execute();
    },
  };
}

function toPendingDeploy(row: Selectable<PendingDeployTable>): PendingDeploy {
  return {
    id: row.id,
    repository: row.repository,
    sha: row.sha,
    environment: row.environment,
    request: pendingDeployRequestColumn.decode(row.request),
    channel: row.channel,
    messageTs: row.message_ts ?? undefined,
    waitingFor: waitingForColumn.decode(row.waiting_for),
    createdAt: row.created_at,
  };
}

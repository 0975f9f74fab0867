import { join } from 'node:path';
import SQLite from 'better-sqlite3';

/** Every row of deploy_jobs in the SQLite store of an app started with `dataDir`, read as it is. */
export function readJobRows(dataDir: string): Array<Record<string, unknown>> {
  const db = new SQLite(join(dataDir, 'deploybot.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('select * from deploy_jobs order by deployment_id').all() as Array<
      Record<string, unknown>
    >;
  } finally {
    db.close();
  }
}

/** One deploy_jobs row by deployment id, undefined when there is none. */
export function readJobRow(dataDir: string, deploymentId: number): Record<string, unknown> | undefined {
  return readJobRows(dataDir).find((row) => row.deployment_id === deploymentId);
}

import type { LeaseStore } from '../core/ports/lease-store.js';
import { createRunnerLiveness } from '../deployer/runner-liveness.js';
import { holdSqliteProcess } from '../store/hold-sqlite-process.js';
import type { AppOptions } from './app-options.js';

/**
 * The embedded SQLite store serves one process: it is held for this one while it runs. Returns
 * what gives the hold up; nothing to hold on PostgreSQL, which replicas share.
 */
export async function holdEmbeddedStore(
  options: AppOptions,
  leases: LeaseStore,
  owner: string,
): Promise<(() => Promise<void>) | undefined> {
  const { settings, scheduler, logger, timings } = options;
  if (settings.database.kind !== 'sqlite') return undefined;
  return holdSqliteProcess({
    leases,
    owner,
    liveness: createRunnerLiveness(),
    scheduler,
    log: logger,
    path: settings.database.path,
    ttlMs: timings.deployer.leaseTtlMs,
    renewIntervalMs: timings.deployer.heartbeatIntervalMs,
  });
}

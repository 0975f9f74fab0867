import { DeploybotError } from '../core/errors.js';
import type { LeaseStore } from '../core/ports/lease-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { RunnerLiveness } from '../core/ports/runner-liveness.js';
import { parseRunnerId } from '../core/runner-id.js';
import type { Scheduler } from '../core/scheduler.js';

/** The lease a deploybot process holds on its SQLite file while it runs. */
export const SQLITE_PROCESS_LEASE = 'sqlite-process';

export interface HoldSqliteProcessOptions {
  readonly leases: LeaseStore;
  /** This process's runner id. */
  readonly owner: string;
  readonly liveness: RunnerLiveness;
  readonly scheduler: Pick<Scheduler, 'now' | 'every'>;
  readonly log: LogPort;
  /** The SQLite file, for the message that refuses a second process. */
  readonly path: string;
  readonly ttlMs: number;
  readonly renewIntervalMs: number;
}

/**
 * Makes this process the one deploybot on its SQLite file: SQLite serves one process, whose
 * work (deploys, deliveries) lives in memory as much as in the file. A second process refuses
 * to start (`store_in_use`, naming the first) rather than take its work over; a lease whose
 * holder died (it lapsed, or its pid on this host is gone) is taken, so a restart after a crash
 * starts. Resolves to the function that gives the file up.
 */
export async function holdSqliteProcess(options: HoldSqliteProcessOptions): Promise<() => Promise<void>> {
  const { leases, owner, scheduler, log } = options;
  const acquire = () => leases.acquireLease(SQLITE_PROCESS_LEASE, owner, scheduler.now(), options.ttlMs);
  if (!(await acquire())) {
    const held = await leases.getLease(SQLITE_PROCESS_LEASE);
    // Died without giving it up: its lease would lapse by itself, but a restart need not wait.
    if (held && (options.liveness.isGone(held.owner) || isEarlierLife(held.owner, owner)))
      await leases.releaseLease(SQLITE_PROCESS_LEASE, held.owner);
    if (!(await acquire())) {
      const other = held && parseRunnerId(held.owner);
      throw new DeploybotError('store_in_use', `another deploybot process uses ${options.path}`, {
        details: {
          path: options.path,
          ...(other ? { host: other.host, pid: other.pid } : { owner: held?.owner ?? 'unknown' }),
        },
      });
    }
  }
  const stopRenewing = scheduler.every(
    options.renewIntervalMs,
    async () => {
      if (!(await acquire()))
        log.error({ path: options.path }, 'another deploybot process took over the SQLite database');
    },
    (error) => log.warn({ err: error }, 'could not renew the hold on the SQLite database'),
  );
  return async () => {
    stopRenewing();
    await leases.releaseLease(SQLITE_PROCESS_LEASE, owner);
  };
}

/**
 * Whether `other` had this process's host and pid: an earlier life of the pid, as a restarted
 * container keeps its host name and is pid 1 again. (Or an app started before in this process,
 * as tests do, which shares its file knowingly.)
 */
function isEarlierLife(other: string, self: string): boolean {
  const them = parseRunnerId(other);
  const us = parseRunnerId(self);
  return them !== undefined && us !== undefined && them.host === us.host && them.pid === us.pid;
}

import type { LeaseStore } from '../core/ports/lease-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { Scheduler } from '../core/scheduler.js';

/** Periodic work that must run on one deploybot process at a time, whichever is alive. */
export interface Chore {
  /** Names its lease, `chore:<name>`, and its log lines. */
  readonly name: string;
  readonly intervalMs: number;
  /** Also tried once as the runner starts (reconciliation catches up on what a downtime missed). */
  readonly atStart?: boolean;
  /** `signal` aborts when this process loses the chore's lease or stops: the chore should end soon. */
  readonly run: (signal: AbortSignal) => Promise<void>;
}

export interface ChoreRunnerOptions {
  readonly leases: Pick<LeaseStore, 'acquireLease' | 'releaseLease'>;
  readonly scheduler: Scheduler;
  /** This process, as lease owner. */
  readonly owner: string;
  readonly log: LogPort;
  /** A running chore's lease lasts this long unrenewed: a holder that dies frees it this soon. */
  readonly leaseTtlMs: number;
  readonly chores: readonly Chore[];
}

export interface ChoreRunner {
  /** Each chore on its interval (and the `atStart` ones now), where this process takes its lease. */
  start(): void;
  /** Runs one chore now if this process can take its lease; says whether it ran. Its failure is thrown. */
  runOnce(name: string): Promise<boolean>;
  /** Every chore once now, as runOnce does; the first failure is thrown after all were tried. */
  runAll(): Promise<void>;
  /** Stops the timers, lets running chores end (their signal aborted) and gives their leases up. */
  stop(): Promise<void>;
}

export const choreLeaseKey = (name: string) => `chore:${name}`;

/**
 * Runs chores by lease. On its interval a process tries to take the chore's lease; only the
 * holder runs it, renewing the lease while it runs. When a run ends, the holder keeps the
 * lease for one more interval, so its own next tick (always within that interval) takes it
 * again and other processes' ticks find it held: the chore runs on one process, and another
 * takes it over only once the holder stopped renewing (it died, or stopped and gave it up).
 */
export function createChoreRunner(options: ChoreRunnerOptions): ChoreRunner {
  const { leases, scheduler, owner, leaseTtlMs } = options;
  const stopping = new AbortController();
  const byName = new Map(options.chores.map((chore) => [chore.name, chore]));
  /** One run of a chore at a time in this process too: its lease is this process's either way. */
  const runs = new Map<string, Promise<unknown>>();
  const stopTimers: Array<() => void> = [];

  async function keepLease(chore: Chore, key: string, done: AbortSignal, lost: AbortController) {
    const log = options.log.child({ chore: chore.name });
    while (await scheduler.sleep(leaseTtlMs / 3, done)) {
      try {
        if (await leases.acquireLease(key, owner, scheduler.now(), leaseTtlMs)) continue;
        log.warn({}, 'lost the lease of a running chore; asking it to stop');
        lost.abort();
        return;
      } catch (error) {
        // The store may come back before the lease lapses; if not, the next try says it was lost.
        log.warn({ err: error }, 'could not renew the lease of a running chore');
      }
    }
  }

  async function runLeased(chore: Chore): Promise<boolean> {
    if (stopping.signal.aborted) return false;
    const key = choreLeaseKey(chore.name);
    if (!(await leases.acquireLease(key, owner, scheduler.now(), leaseTtlMs))) return false;
    const log = options.log.child({ chore: chore.name });
    const lost = new AbortController();
    const signal = AbortSignal.any([lost.signal, stopping.signal]);
    const done = new AbortController();
    const renewing = keepLease(chore, key, done.signal, lost);
    const started = scheduler.now();
    try {
      log.debug({}, 'chore started');
      await chore.run(signal);
      log.debug({ ms: scheduler.now() - started }, 'chore done');
    } finally {
      done.abort();
      await renewing;
      if (!lost.signal.aborted && !stopping.signal.aborted) {
        // Held until this process's next tick, so no other process runs it again meanwhile.
        await leases
          .acquireLease(key, owner, scheduler.now(), chore.intervalMs + leaseTtlMs)
          .catch((error: unknown) =>
            log.warn({ err: error }, 'could not hold the lease of a chore that ran'),
          );
      }
    }
    return true;
  }

  function runOnce(name: string): Promise<boolean> {
    const chore = byName.get(name);
    if (chore === undefined) return Promise.reject(new Error(`no chore named ${name}`));
    const previous = runs.get(name) ?? Promise.resolve();
    const next = previous.then(
      () => runLeased(chore),
      () => runLeased(chore),
    );
    const tail = next.catch(() => undefined);
    runs.set(name, tail);
    void tail.then(() => {
      if (runs.get(name) === tail) runs.delete(name);
    });
    return next;
  }

  function report(chore: Chore) {
    return (error: unknown) => options.log.error({ err: error, chore: chore.name }, 'chore failed');
  }

  return {
    start() {
      for (const chore of options.chores) {
        const tick = async () => {
          await runOnce(chore.name);
        };
        stopTimers.push(scheduler.every(chore.intervalMs, tick, report(chore)));
        if (chore.atStart) tick().catch(report(chore));
      }
    },
    runOnce,
    async runAll() {
      let failure: { error: unknown } | undefined;
      for (const chore of options.chores) {
        try {
          await runOnce(chore.name);
        } catch (error) {
          failure ??= { error };
        }
      }
      if (failure) throw failure.error;
    },
    async stop() {
      for (const stopTimer of stopTimers.splice(0)) stopTimer();
      stopping.abort();
      await Promise.all([...runs.values()]);
      // Given up, so another process takes the chores over at its next tick, not a lease later.
      for (const chore of options.chores) {
        await leases
          .releaseLease(choreLeaseKey(chore.name), owner)
          .catch((error: unknown) =>
            options.log.warn({ err: error, chore: chore.name }, 'could not give a chore lease up'),
          );
      }
    },
  };
}

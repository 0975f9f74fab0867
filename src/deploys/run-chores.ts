import type { LeaseStore } from '../core/ports/lease-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { Scheduler } from '../core/scheduler.js';

/** Periodic work that must run on one deploybot process at a time, whichever is alive. */
export interface Chore {
  /** Names its lease, `chore:<name>`, and its log lines. */
  readonly name: string;
  readonly intervalMs: number;
  /** Also run as the first process to hold it starts (reconciliation catches up on a downtime). */
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
  /** A chore's lease lasts this long unrenewed: a holder that dies frees it this soon. Renewed every third of it. */
  readonly leaseTtlMs: number;
  readonly chores: readonly Chore[];
}

export interface ChoreRunner {
  /** Holds what chores it can, and runs each it holds on its interval (the `atStart` ones now). */
  start(): void;
  /** Runs one chore now if this process holds or can take its lease; says whether it ran. Its failure is thrown. */
  runOnce(name: string): Promise<boolean>;
  /** Every chore once now, as runOnce does; the first failure is thrown after all were tried. */
  runAll(): Promise<void>;
  /** Stops the heartbeat, lets running chores end (their signal aborted) and gives their leases up. */
  stop(): Promise<void>;
}

export const choreLeaseKey = (name: string) => `chore:${name}`;

interface Held {
  /** When the chore is next due here. */
  nextRunAt: number;
  /** Aborted when the lease is lost. */
  readonly lost: AbortController;
}

/**
 * Runs chores by lease. A heartbeat, every third of the lease's time-to-live, takes each chore's
 * lease or renews the one this process holds: a chore has one holder at a time, which runs it on
 * its interval; a holder that dies loses its chores within one time-to-live, and another process
 * takes them at its next heartbeat and runs them at once (what the dead one owed may be overdue).
 */
export function createChoreRunner(options: ChoreRunnerOptions): ChoreRunner {
  const { leases, scheduler, owner, leaseTtlMs } = options;
  const stopping = new AbortController();
  const byName = new Map(options.chores.map((chore) => [chore.name, chore]));
  const held = new Map<string, Held>();
  /** One run of a chore at a time in this process too. */
  const runs = new Map<string, Promise<void>>();
  let stopHeartbeat: (() => void) | undefined;
  let firstBeat = true;

  /** Takes or renews the chore's lease; says whether this process holds it now. */
  async function hold(chore: Chore, starting: boolean): Promise<Held | undefined> {
    const mine = await leases.acquireLease(choreLeaseKey(chore.name), owner, scheduler.now(), leaseTtlMs);
    const known = held.get(chore.name);
    if (!mine) {
      if (known) {
        options.log.warn({ chore: chore.name }, 'lost the lease of a chore; another process has it');
        known.lost.abort();
        held.delete(chore.name);
      }
      return undefined;
    }
    if (known) return known;
    const now = scheduler.now();
    const taken: Held = {
      nextRunAt: starting && !chore.atStart ? now + chore.intervalMs : now,
      lost: new AbortController(),
    };
    held.set(chore.name, taken);
    return taken;
  }

  function run(chore: Chore, holding: Held): Promise<void> {
    const previous = runs.get(chore.name);
    if (previous) return previous;
    holding.nextRunAt = scheduler.now() + chore.intervalMs;
    const log = options.log.child({ chore: chore.name });
    const signal = AbortSignal.any([holding.lost.signal, stopping.signal]);
    const started = scheduler.now();
    const running = (async () => {
      log.debug({}, 'chore started');
      await chore.run(signal);
      log.debug({ ms: scheduler.now() - started }, 'chore done');
    })().finally(() => runs.delete(chore.name));
    runs.set(chore.name, running);
    return running;
  }

  async function heartbeat(): Promise<void> {
    const starting = firstBeat;
    firstBeat = false;
    for (const chore of options.chores) {
      if (stopping.signal.aborted) return;
      try {
        const holding = await hold(chore, starting);
        if (holding && scheduler.now() >= holding.nextRunAt && !runs.has(chore.name)) {
          run(chore, holding).catch((error: unknown) =>
            options.log.error({ err: error, chore: chore.name }, 'chore failed'),
          );
        }
      } catch (error) {
        // The store may come back before the lease lapses; if not, the next beat finds it lost.
        options.log.warn({ err: error, chore: chore.name }, 'could not take or renew the lease of a chore');
      }
    }
  }

  async function runOnce(name: string): Promise<boolean> {
    const chore = byName.get(name);
    if (chore === undefined) throw new Error(`no chore named ${name}`);
    if (stopping.signal.aborted) return false;
    // A run already going on is waited for, then this one runs.
    await runs.get(name)?.catch(() => undefined);
    const holding = await hold(chore, false);
    if (!holding) return false;
    await run(chore, holding);
    return true;
  }

  return {
    start() {
      if (stopHeartbeat || stopping.signal.aborted) return;
      // A third of the lease, or more often when a chore is due more often than that.
      const beat = Math.min(leaseTtlMs / 3, ...options.chores.map((chore) => chore.intervalMs));
      stopHeartbeat = scheduler.every(Math.max(1, Math.floor(beat)), heartbeat, (error) =>
        options.log.error({ err: error }, 'chore heartbeat failed'),
      );
      void heartbeat();
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
      stopHeartbeat?.();
      stopping.abort();
      await Promise.all([...runs.values()].map((r) => r.catch(() => undefined)));
      // Given up, so another process takes the chores over at its next heartbeat, not a lease later.
      for (const name of [...held.keys()]) {
        held.delete(name);
        await leases
          .releaseLease(choreLeaseKey(name), owner)
          .catch((error: unknown) =>
            options.log.warn({ err: error, chore: name }, 'could not give a chore lease up'),
          );
      }
    },
  };
}

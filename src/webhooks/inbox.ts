import type { DeliveryStore, StoredDelivery } from '../core/ports/delivery-store.js';
import type { WebhookMetrics } from '../core/ports/metrics.js';
import type { Scheduler } from '../core/scheduler.js';
import type { Logger } from '../logger.js';
import { createSettleDelivery } from './settle-delivery.js';

/** The inbox's waits; production's in DEFAULT_TIMINGS. */
export interface InboxTuning {
  /** How long a claim lasts unless renewed: a process that dies frees its deliveries this long after. */
  readonly leaseTtlMs: number;
  /** How often the store is asked for work besides being nudged: other processes' deliveries, lapsed leases, due retries. */
  readonly pollIntervalMs: number;
  /**
   * Between two claims that found nothing, however often the inbox is nudged meanwhile: a burst of
   * deliveries of a repository whose head is in flight is not one claim each.
   */
  readonly minClaimGapMs: number;
  /** Before claiming again after the store failed `attempt` (1-based) times in a row. */
  readonly storeRetryDelayMs: (attempt: number) => number;
  /** While webhooks pour in (`InboxOptions.pressed`), at least this long between two claims. */
  readonly pressedClaimGapMs: number;
}

export interface InboxOptions {
  readonly store: DeliveryStore;
  readonly handle: (delivery: StoredDelivery) => Promise<void>;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  /** Names this process on its leases; unique per process. */
  readonly owner: string;
  /** At most this many deliveries are held in memory and handled at once. */
  readonly maxInFlight: number;
  readonly maxAttempts: number;
  /** Delay before retry number `attempt` (1-based) of a delivery that failed with a retryable error. */
  readonly retryDelayMs: (attempt: number) => number;
  readonly tuning: InboxTuning;
  /**
   * Whether this process is taking in webhooks faster than it stores them (ingest-gauge.ts): the
   * claims, and the handling they lead to, then give the receiver the CPU and the database,
   * claiming once per `tuning.pressedClaimGapMs`. Nothing is lost: the rest waits in the store.
   */
  readonly pressed: () => boolean;
  /** Told how each attempt ended, and how long after receipt. */
  readonly metrics?: WebhookMetrics;
}

export interface Inbox {
  /** Starts claiming: deliveries stored before, by this process or another, are taken up as they fall due. */
  start(): void;
  /**
   * Says a delivery was just stored, so it is claimed now rather than at the next poll. Given its
   * repository, a delivery that waits behind one of that repository's being handled here claims
   * nothing: the claim comes when that one ends.
   */
  nudge(partitionKey?: string): void;
  /** Resolves when nothing is being handled here and no stored delivery is due now. */
  idle(): Promise<void>;
  /** Stops claiming and waits for the deliveries being handled to end. */
  stop(): Promise<void>;
}

/**
 * Works through stored webhook deliveries, shared by however many processes use the store.
 * Each claims deliveries with a lease it renews while it works; the store hands out only the
 * oldest unfinished delivery of a repository, so one repository's deliveries are handled one
 * at a time and in the order received, retries included (a delivery waiting for its retry
 * holds back the later ones of its repository). Nothing waits in memory: a delivery to retry
 * goes back to the store with the time it is due, and whoever claims first then takes it.
 */
export function createInbox(options: InboxOptions): Inbox {
  const { store, scheduler, logger, owner, tuning } = options;
  const inFlight = new Map<string, Promise<void>>();
  // How many of each repository's deliveries are being handled here (one, but for a lapsed lease).
  const busyPartitions = new Map<string, number>();
  const stopping = new AbortController();
  let loop: Promise<void> | undefined;
  // Set by a nudge (or a finished delivery) that came while the loop was busy, so it looks again at once.
  let woken = false;
  let wake = new AbortController();
  // Resolved and replaced whenever the loop finishes a pass or a delivery ends: what idle() waits on.
  let changed = createSignal();
  let stopHeartbeat: (() => void) | undefined;

  const settle = createSettleDelivery({ ...options, signal: stopping.signal });

  function nudge(partitionKey?: string): void {
    // Behind a delivery of its repository handled here, a new one cannot be claimed yet; and a
    // burst of one repository's webhooks would otherwise be a claim each that finds nothing.
    if (partitionKey !== undefined && busyPartitions.has(partitionKey)) return;
    woken = true;
    // Once is enough, and abort() builds an error each time it is called, aborted or not.
    if (!wake.signal.aborted) wake.abort();
  }

  function announceChange(): void {
    changed.fire();
    changed = createSignal();
  }

  /** Set when a delivery ended: the head of its repository moved, so a claim may find more. */
  let ended = false;

  function launch(delivery: StoredDelivery): void {
    const partition = delivery.partitionKey;
    busyPartitions.set(partition, (busyPartitions.get(partition) ?? 0) + 1);
    const work = settle(delivery).finally(() => {
      inFlight.delete(delivery.deliveryId);
      const left = (busyPartitions.get(partition) ?? 1) - 1;
      if (left > 0) busyPartitions.set(partition, left);
      else busyPartitions.delete(partition);
      ended = true;
      // A freed slot, and perhaps the next delivery of its repository now at the head.
      nudge();
      announceChange();
    });
    inFlight.set(delivery.deliveryId, work);
  }

  async function waitForWork(ms: number): Promise<void> {
    if (woken || stopping.signal.aborted) {
      woken = false;
      return;
    }
    wake = new AbortController();
    await scheduler.sleep(ms, wake.signal);
    woken = false;
  }

  // When a claim last took work: under pressure, the next waits its gap from then.
  let lastClaimAt: number | undefined;

  /** How long a claim must still wait to give way to webhooks pouring in; 0 when it need not. */
  function giveWayMs(): number {
    if (lastClaimAt === undefined || !options.pressed()) return 0;
    return Math.max(0, lastClaimAt + tuning.pressedClaimGapMs - scheduler.now());
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopping.signal.aborted) {
      let delay = tuning.pollIntervalMs;
      const free = options.maxInFlight - inFlight.size;
      let found = true;
      const giveWay = free > 0 ? giveWayMs() : 0;
      if (giveWay > 0) {
        // Nudges do not cut this short: each stored delivery nudges, and they are what presses.
        await scheduler.sleep(giveWay, stopping.signal);
        continue;
      }
      if (free > 0) {
        try {
          ended = false;
          const claimedAt = scheduler.now();
          const claimed = await store.claimDeliveries(owner, claimedAt, tuning.leaseTtlMs, free);
          failures = 0;
          found = claimed.length > 0;
          // Only claims that took work space the next: a quiet inbox's first one waits for nothing.
          if (found) lastClaimAt = claimedAt;
          for (const delivery of claimed) {
            // A lease of ours that lapsed while its handling went on (the store was away): still ours.
            if (!inFlight.has(delivery.deliveryId)) launch(delivery);
          }
        } catch (error) {
          failures += 1;
          delay = tuning.storeRetryDelayMs(failures);
          logger.warn({ err: error, failures, retryInMs: delay }, 'could not claim webhook deliveries');
        }
      }
      announceChange();
      if (!found && !ended && failures === 0 && tuning.minClaimGapMs > 0) {
        await scheduler.sleep(tuning.minClaimGapMs, stopping.signal);
      }
      if (failures > 0) {
        // Backing off from a store that fails: a nudge does not cut this short.
        await scheduler.sleep(delay, stopping.signal);
        woken = false;
      } else {
        await waitForWork(delay);
      }
    }
  }

  async function renewLeases(): Promise<void> {
    if (inFlight.size === 0) return;
    const kept = new Set(await store.renewDeliveryLeases(owner, scheduler.now(), tuning.leaseTtlMs));
    for (const id of inFlight.keys()) {
      if (!kept.has(id)) logger.warn({ delivery: id }, 'lost the lease on a webhook delivery being handled');
    }
  }

  async function dueNow(): Promise<boolean> {
    try {
      return (await store.listRunnableDeliveries(scheduler.now(), 1)).length > 0;
    } catch {
      // The store cannot say: work may be waiting, so not idle yet.
      return true;
    }
  }

  return {
    start() {
      if (loop || stopping.signal.aborted) return;
      // Renewed well before it lapses: a third of the lease, so two renewals may fail in a row.
      stopHeartbeat = scheduler.every(Math.max(1, Math.floor(tuning.leaseTtlMs / 3)), renewLeases, (error) =>
        logger.warn({ err: error }, 'could not renew the leases on webhook deliveries'),
      );
      loop = run();
    },
    nudge,
    async idle() {
      for (;;) {
        const next = changed.fired;
        if (inFlight.size === 0) {
          // Not claiming: nothing here would change what is due.
          if (!loop || stopping.signal.aborted) return;
          if (!(await dueNow())) return;
        }
        await next;
      }
    },
    async stop() {
      stopping.abort();
      nudge();
      await loop;
      while (inFlight.size > 0) await Promise.all(inFlight.values());
      stopHeartbeat?.();
      announceChange();
    },
  };
}

/** A promise fired once by hand (Node 20 has no Promise.withResolvers). */
function createSignal(): { readonly fired: Promise<void>; fire(): void } {
  let fire: () => void = () => undefined;
  const fired = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { fired, fire };
}

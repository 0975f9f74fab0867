import type { LogPort } from '../core/ports/log.js';
import type { RetentionStore } from '../core/ports/retention-store.js';
import type { Clock } from '../core/scheduler.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A delivery's payload is needed only while it may be handled or retried. */
export const DELIVERY_PAYLOAD_DAYS = 7;
/** A delivery id de-duplicates redeliveries this long; GitHub redelivers only recent ones. */
export const DELIVERY_ID_DAYS = 30;
/** Rows per statement: small enough that no statement holds the tables for long. */
export const RETENTION_BATCH = 500;

export interface ApplyRetentionOptions {
  readonly store: RetentionStore;
  readonly clock: Clock;
  /** RETENTION_DAYS: finished deploy jobs, announcements and deploy logs are kept this long. */
  readonly retentionDays: number;
  readonly log: LogPort;
  readonly batch?: number;
}

export type ApplyRetention = (signal: AbortSignal) => Promise<void>;

/**
 * Deletes what deploybot no longer needs, a batch at a time until none is left (or it is
 * asked to stop: the rest goes next time): delivery payloads after 7 days, delivery ids
 * after 30, finished deploys, announcements and deploy logs after RETENTION_DAYS.
 */
export function createApplyRetention(options: ApplyRetentionOptions): ApplyRetention {
  const { store, log } = options;
  const batch = options.batch ?? RETENTION_BATCH;

  async function drain(
    what: string,
    step: (before: number, limit: number) => Promise<number>,
    days: number,
    signal: AbortSignal,
  ): Promise<void> {
    const before = options.clock.now() - days * DAY_MS;
    let total = 0;
    for (;;) {
      if (signal.aborted) break;
      const touched = await step(before, batch);
      total += touched;
      if (touched === 0) break;
    }
    if (total > 0) log.info({ rows: total, olderThanDays: days }, `retention: ${what}`);
  }

  return async (signal) => {
    const days = options.retentionDays;
    await drain(
      'delivery payloads dropped',
      (b, l) => store.dropDeliveryPayloads(b, l),
      DELIVERY_PAYLOAD_DAYS,
      signal,
    );
    await drain('deliveries deleted', (b, l) => store.deleteDeliveries(b, l), DELIVERY_ID_DAYS, signal);
    await drain('finished deploy jobs deleted', (b, l) => store.deleteFinishedDeployJobs(b, l), days, signal);
    await drain('announcements deleted', (b, l) => store.deleteAnnouncements(b, l), days, signal);
    await drain('known statuses deleted', (b, l) => store.deleteKnownStatuses(b, l), days, signal);
    await drain('deploy logs deleted', (b, l) => store.deleteDeployLogs(b, l), days, signal);
  };
}

export interface NewDelivery {
  readonly deliveryId: string;
  readonly event: string;
  readonly action: string | undefined;
  readonly partitionKey: string;
  readonly payload: unknown;
  readonly receivedAt: number;
}

export interface StoredDelivery extends NewDelivery {
  readonly attempts: number;
}

export interface DeliveryStore {
  /**
   * Persists a delivery unless its id was seen before; says which. A redelivery of one that
   * failed for good (GitHub's "Redeliver" after fixing a token, say) is taken up again.
   */
  recordDelivery(delivery: NewDelivery): Promise<'recorded' | 'retried' | 'duplicate'>;
  /** Keeps only the id of a delivery no handler acts on, already done, so a redelivery is known. */
  recordIgnoredDelivery(
    deliveryId: string,
    event: string,
    receivedAt: number,
  ): Promise<'recorded' | 'duplicate'>;
  /** Pending deliveries due by `now`, oldest first; `after` continues from the last one of a previous page. */
  listRunnableDeliveries(
    now: number,
    limit: number,
    after?: { readonly receivedAt: number; readonly deliveryId: string },
  ): Promise<StoredDelivery[]>;
  /**
   * Claims up to `limit` deliveries for `owner` until `now + ttlMs`: due, pending, not leased
   * by a live process, and each the oldest unfinished delivery of its repository, so one
   * repository's deliveries are handled one at a time and in order by however many
   * processes. A claim is one statement; two processes never claim the same delivery.
   */
  claimDeliveries(owner: string, now: number, ttlMs: number, limit: number): Promise<StoredDelivery[]>;
  /** Extends the leases `owner` still holds on deliveries; says which. */
  renewDeliveryLeases(owner: string, now: number, ttlMs: number): Promise<string[]>;
  markDeliveryDone(deliveryId: string, now: number): Promise<void>;
  /** Frees the delivery for another attempt at `nextAttemptAt`, counting this one. */
  scheduleDeliveryRetry(deliveryId: string, error: string, nextAttemptAt: number): Promise<void>;
  /** Like `scheduleDeliveryRetry`, without counting an attempt: the failure was not the delivery's. */
  postponeDelivery(deliveryId: string, error: string, nextAttemptAt: number): Promise<void>;
  markDeliveryFailed(deliveryId: string, error: string, now: number): Promise<void>;
  countDeliveries(): Promise<number>;
}

/**
 * What retention removes from the store, a batch at a time: each call touches at most `limit`
 * rows of a table and says how many it touched, so a caller loops until it gets 0 and no
 * statement holds locks for long. `before` is an epoch-ms cut-off: only older rows go.
 */
export interface RetentionStore {
  /**
   * Replaces with an empty record the payload of handled (done or failed) deliveries received
   * before `before`; the rows stay, their ids still de-duplicate redeliveries.
   */
  dropDeliveryPayloads(before: number, limit: number): Promise<number>;
  /** Deletes handled deliveries received before `before`: their ids no longer de-duplicate. */
  deleteDeliveries(before: number, limit: number): Promise<number>;
  /** Deletes finished deploy jobs that ended before `before` and owe GitHub no final status. */
  deleteFinishedDeployJobs(before: number, limit: number): Promise<number>;
  /** Deletes announcements last updated, announced statuses and keyed chat posts made, before `before`. */
  deleteAnnouncements(before: number, limit: number): Promise<number>;
  /** Deletes the known statuses (known-status.ts) GitHub created before `before`. */
  deleteKnownStatuses(before: number, limit: number): Promise<number>;
  /** Deletes deploy log chunks stored before `before`. */
  deleteDeployLogs(before: number, limit: number): Promise<number>;
}

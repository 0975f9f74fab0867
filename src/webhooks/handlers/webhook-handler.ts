import type { Logger } from '../../logger.js';

/** What a handler knows of the delivery it handles. */
export interface DeliveryAttempt {
  /** True on the last try of the delivery: transient failures are then announced instead of retried. */
  readonly finalAttempt: boolean;
  /** The webhooks' log, with the delivery's id on every line. */
  readonly log: Logger;
}

/** Parses one event's payload and hands it to the one use case that event is for. */
export type WebhookHandler = (payload: unknown, delivery: DeliveryAttempt) => Promise<void>;

/** Links people follow to a repository: built from GITHUB_API_URL, so they point at GitHub Enterprise Server too. */
export interface RepositoryLinks {
  repositoryUrl(fullName: string): string;
}

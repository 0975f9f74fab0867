import type { RetryOptions } from '@slack/web-api';
import type { MemoryTrimTimings } from './compose/schedule-memory-trims.js';
import type { DeployerTuning } from './deployer/create-deployer-from-settings.js';
import type { HomeRefreshTimings } from './deploys/refresh-home-boards.js';
import type { InboxTuning } from './webhooks/inbox.js';

/**
 * Every wait deploybot makes, in one place: production's values here, a test's faster ones
 * where it builds the app. Nothing else in the app decides how long to wait.
 */
export interface Timings {
  /** How Slack calls are retried (429s and outages); a stored delivery is retried by the inbox instead. */
  readonly slackRetry: RetryOptions;
  /** Base of GitHub's retry back-off. */
  readonly githubRetryBaseMs: number;
  /** GitHub asks integrations to leave a second between requests that create content. */
  readonly githubWriteIntervalMs: number;
  /** Before retry `attempt` (1-based) of a webhook delivery that failed with a retryable error. */
  readonly webhookRetryDelayMs: (attempt: number) => number;
  /** The webhook inbox's leases, polls and back-off from a failing store. */
  readonly inbox: InboxTuning;
  /** /healthz asks the database at most this often; answers in between reuse the last one. */
  readonly healthPingIntervalMs: number;
  /** How often lapsed locks are looked for. */
  readonly lockSweepIntervalMs: number;
  readonly chores: ChoreTimings;
  /** How the App Home boards are kept current: coalesced, at most one publish per user per interval. */
  readonly homeRefresh: HomeRefreshTimings;
  /** How long the Deploy modal's checks may take before it closes: Slack wants its answer within 3 s. */
  readonly modalCheckBudgetMs: number;
  readonly deployer: DeployerTuning;
  /** When memory is given back to the operating system (src/compose/schedule-memory-trims.ts). */
  readonly memoryTrim: MemoryTrimTimings;
}

/** The chores every process offers to run, one process at a time, by lease (src/deploys/run-chores.ts). */
export interface ChoreTimings {
  /** A running chore's lease, renewed at a third of it: a process that dies frees its chores this soon. */
  readonly leaseTtlMs: number;
  readonly reconcileIntervalMs: number;
  /**
   * What GitHub did this recently is left to its webhooks, which may still be on their way:
   * reconciliation acting first would announce a deployment's statuses out of order.
   */
  readonly reconcileGraceMs: number;
  readonly retentionIntervalMs: number;
  /**
   * Reconcile as deploybot starts too, catching up on what a downtime missed. The tests turn it
   * off where GitHub must see only the calls they cause.
   */
  readonly reconcileAtStart: boolean;
}

export const DEFAULT_TIMINGS: Timings = {
  // Slack's client would otherwise retry for about 30 minutes.
  slackRetry: { retries: 5, factor: 2, minTimeout: 1_000, maxTimeout: 30_000, randomize: true },
  githubRetryBaseMs: 1_000,
  githubWriteIntervalMs: 1_000,
  webhookRetryDelayMs: (attempt) => Math.min(60_000, 1_000 * 2 ** attempt),
  inbox: {
    minClaimGapMs: 20,
    // A process that dies frees its deliveries within 20 s; renewed every ~7 s meanwhile.
    leaseTtlMs: 20_000,
    pollIntervalMs: 1_000,
    storeRetryDelayMs: (attempt) => Math.min(10_000, 250 * 2 ** (attempt - 1)),
    // Under a flood, a repository's deliveries are handled 4 a second until it eases.
    pressedClaimGapMs: 250,
  },
  healthPingIntervalMs: 1_000,
  lockSweepIntervalMs: 30_000,
  chores: {
    leaseTtlMs: 30_000,
    reconcileIntervalMs: 5 * 60_000,
    reconcileGraceMs: 60_000,
    retentionIntervalMs: 60 * 60_000,
    reconcileAtStart: true,
  },
  homeRefresh: {
    coalesceMs: 1_000,
    minIntervalMs: 10_000,
    viewerTtlMs: 3_600_000,
    deploymentsMaxAgeMs: 600_000,
  },
  modalCheckBudgetMs: 2_000,
  deployer: {
    killGraceMs: 10_000,
    logFlushMs: 200,
    statusRetryDelayMs: (attempt) => Math.min(300_000, 2_000 * 2 ** (attempt - 1)),
    storeRetryDelayMs: (attempt) => Math.min(30_000, 500 * 2 ** (attempt - 1)),
    sweepIntervalMs: 30_000,
    // A process that dies loses its deploys within 30 s: the lease lapses, and the next heartbeat
    // of another process (every 5 s) takes them over.
    leaseTtlMs: 20_000,
    heartbeatIntervalMs: 5_000,
  },
  // A second after start, once its garbage is freed, then every 15 s (~0.1 ms a trim; a
  // collection only in the first quiet interval after a busy one).
  memoryTrim: { firstMs: 1_000, intervalMs: 15_000 },
};

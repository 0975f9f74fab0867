import type { EnvironmentConfig } from './config.js';
import type { DeployOutcome } from './deploy-outcome.js';

/** Why a running deploy was stopped before it ended by itself; the reason of its AbortSignal. */
export type AbortReason =
  | { readonly kind: 'timeout'; readonly seconds: number }
  | { readonly kind: 'cancelled'; readonly by: string }
  | { readonly kind: 'stopping' }
  // Another process took the job over (its lease lapsed): its outcome is that process's to report.
  | { readonly kind: 'taken_over' };

/** The provider's timeout in seconds; 0 when it has none. */
export function deployTimeoutSeconds(environment: EnvironmentConfig | undefined): number {
  const provider = environment?.provider;
  return provider && provider.type !== 'external' ? provider.timeoutSeconds : 0;
}

/** The note a deploy's log gets the moment it is stopped. */
export function describeAbort(reason: AbortReason | undefined): string {
  switch (reason?.kind) {
    case 'timeout':
      return `the deploy took longer than its timeout of ${reason.seconds}s; stopping it`;
    case 'cancelled':
      return `cancelled by ${reason.by}; stopping the deploy`;
    case 'taken_over':
      return 'another deploybot process took this deploy over; stopping it here';
    default:
      return 'deploybot is stopping; stopping the deploy';
  }
}

/** How a deploy stopped for `reason` ended. */
export function outcomeOfAbort(reason: AbortReason | undefined): DeployOutcome {
  switch (reason?.kind) {
    case 'timeout':
      return { kind: 'timed_out', seconds: reason.seconds };
    case 'cancelled':
      return { kind: 'cancelled', by: reason.by };
    default:
      return { kind: 'stopped' };
  }
}

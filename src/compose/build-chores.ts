import { randomUUID } from 'node:crypto';
import type { ChatPort } from '../core/ports/chat.js';
import type { GitHubPort } from '../core/ports/github.js';
import { createApplyRetention } from '../deploys/apply-retention.js';
import type { DeployMerge } from '../deploys/deploy-merge.js';
import { createReconcileCiWaits } from '../deploys/reconcile-ci-waits.js';
import { createReconcileWithGitHub } from '../deploys/reconcile-with-github.js';
import { type ChoreRunner, createChoreRunner } from '../deploys/run-chores.js';
import type { Store } from '../store/store.js';
import type { AppOptions } from './app-options.js';

/** What the chores run over, built by the composition root before them. */
export interface ChoreParts {
  readonly store: Store;
  readonly github: GitHubPort;
  readonly chat: ChatPort;
  readonly repositoryUrl: (fullName: string) => string;
  /** Told when reconciliation stored what it found for the inbox. */
  readonly onReconciled: () => void;
  readonly deployMerge: DeployMerge;
  readonly expireLocks: () => Promise<void>;
}

/** The chores, each run on one process at a time, whichever holds its lease: lock expiry, reconciliation, retention. */
export function buildChores(options: AppOptions, parts: ChoreParts): ChoreRunner {
  const { settings, config, logger, scheduler, timings } = options;
  const { store, repositoryUrl } = parts;
  const clock = scheduler;
  const reconcileLog = logger.child({ component: 'reconcile' });
  return createChoreRunner({
    leases: store,
    scheduler,
    owner: randomUUID(),
    log: logger.child({ component: 'chores' }),
    leaseTtlMs: timings.chores.leaseTtlMs,
    chores: [
      // Lapses are announced at expiry (watch-lock-expiry); this sweep is the backstop and releases waits.
      { name: 'lock-expiry', intervalMs: timings.lockSweepIntervalMs, run: () => parts.expireLocks() },
      {
        name: 'reconcile',
        intervalMs: timings.chores.reconcileIntervalMs,
        atStart: timings.chores.reconcileAtStart,
        run: createReconcileWithGitHub({
          config,
          github: parts.github,
          store,
          clock,
          graceMs: timings.chores.reconcileGraceMs,
          onRecorded: parts.onReconciled,
          reconcileCiWaits: createReconcileCiWaits({
            store,
            deployMerge: parts.deployMerge,
            chat: parts.chat,
            clock,
            repositoryUrl,
            log: reconcileLog,
          }),
          log: reconcileLog,
        }),
      },
      {
        name: 'retention',
        intervalMs: timings.chores.retentionIntervalMs,
        run: createApplyRetention({
          store,
          clock,
          retentionDays: settings.retentionDays,
          log: logger.child({ component: 'retention' }),
        }),
      },
    ],
  });
}

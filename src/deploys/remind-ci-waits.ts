import { note } from '../core/message.js';
import type { ChatPort } from '../core/ports/chat.js';
import type { LogPort } from '../core/ports/log.js';
import type { PendingDeploy, PendingDeployStore } from '../core/ports/pending-deploy-store.js';
import type { Scheduler } from '../core/scheduler.js';
import { decideCiReminder, describeCiWait } from '../core/watchdog.js';

export interface RemindCiWaitsOptions {
  readonly store: PendingDeployStore;
  readonly chat: ChatPort;
  readonly scheduler: Scheduler;
  readonly log: LogPort;
}

export interface CiWaitReminders {
  /** A merged-PR deploy began waiting for CI: it is reminded of once, an hour on, if it still waits. */
  readonly watch: (pending: PendingDeploy) => void;
  readonly stop: () => void;
}

/**
 * A merged-PR deploy that has waited an hour for its required checks gets one reminder in
 * its message's thread, naming the checks still pending then. One timer per wait; the wait
 * is read again when it falls due, so one that ended meanwhile is left alone. Timers live in
 * memory: waits from before a restart are not reminded of.
 */
export function createRemindCiWaits(options: RemindCiWaitsOptions): CiWaitReminders {
  const { store, scheduler, log } = options;
  const stopping = new AbortController();
  const watching = new Set<string>();

  async function remind(first: PendingDeploy): Promise<void> {
    for (;;) {
      const decision = decideCiReminder({
        waitingSince: first.createdAt,
        reminded: false,
        now: scheduler.now(),
      });
      if (decision.kind === 'done') return;
      if (decision.kind === 'wait') {
        if (!(await scheduler.sleep(decision.checkAt - scheduler.now(), stopping.signal))) return;
        continue;
      }
      const waits = await store.listPendingDeploys(first.repository, first.sha);
      const pending = waits.find((w) => w.id === first.id);
      if (pending === undefined) return;
      const text = describeCiWait({ waitingForMs: decision.silentForMs, pending: pending.waitingFor });
      await options.chat.postMessage(
        pending.channel,
        note(text),
        pending.messageTs === undefined ? {} : { threadTs: pending.messageTs },
      );
      log.info(
        { repository: pending.repository, sha: pending.sha, waitingFor: pending.waitingFor },
        'reminded of a wait for CI',
      );
      return;
    }
  }

  return {
    watch(pending) {
      if (watching.has(pending.id)) return;
      watching.add(pending.id);
      void remind(pending).catch((error: unknown) =>
        log.warn(
          { err: error, repository: pending.repository, sha: pending.sha },
          'could not remind of a wait for CI',
        ),
      );
    },
    stop: () => stopping.abort(),
  };
}

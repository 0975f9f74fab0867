import type { DeploymentFacts, StatusFacts } from '../core/announcement.js';
import { findTarget } from '../core/chat-deploy.js';
import type { Config } from '../core/config.js';
import { isFinalState } from '../core/deployment-state.js';
import { linkTo, note } from '../core/message.js';
import { mention } from '../core/policy.js';
import type { ChatPort } from '../core/ports/chat.js';
import type { DeployLogStore } from '../core/ports/deploy-log-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { Scheduler } from '../core/scheduler.js';
import { decideStuck, describeSilence } from '../core/watchdog.js';

export interface WatchStuckDeploymentsOptions {
  readonly config: Config;
  readonly chat: ChatPort;
  readonly scheduler: Scheduler;
  readonly log: LogPort;
  /** deploybot's own deploy logs: a job whose script still prints is not silent. */
  readonly logs?: Pick<DeployLogStore, 'lastDeployLogAt'>;
}

/** A status as it was announced: where its deployment's thread is, and who asked for it. */
export interface AnnouncedStatus {
  readonly deployment: DeploymentFacts;
  readonly status: StatusFacts;
  readonly channel: string;
  /** The thread the deployment's status lines go to. */
  readonly threadTs: string;
  /** The Slack user who asked for it (`notify.user`), mentioned when it goes quiet. */
  readonly notifyUser?: string;
}

export interface StuckDeploymentWatch {
  /** Every announced status: it restarts the deployment's silence, or ends its watch. */
  readonly observe: (seen: AnnouncedStatus) => void;
  readonly stop: () => void;
}

interface Watched {
  seen: AnnouncedStatus;
  lastStatusAt: number;
  /** The last sign of life: its newest status, or its newest log output if deploybot runs it. */
  quietSince: number;
  warned: boolean;
  stop: AbortController;
}

/**
 * A deployment that stays queued, pending or in progress with no new status for its
 * environment's `stuck_after` gets one reply in its thread: how long it has been silent,
 * its log link, and a mention of who deployed. A deployment deploybot runs itself counts as
 * silent only when its script printed nothing for as long. One timer per watched deployment, restarted
 * by each new status; nothing polls. Watches live in memory: after a restart a deployment
 * is watched again from its next status.
 */
export function createWatchStuckDeployments(options: WatchStuckDeploymentsOptions): StuckDeploymentWatch {
  const { scheduler, log } = options;
  const watched = new Map<number, Watched>();

  async function watch(id: number, entry: Watched, stuckAfterMs: number | undefined): Promise<void> {
    for (;;) {
      const decision = decideStuck({
        state: entry.seen.status.state,
        lastStatusAt: entry.quietSince,
        stuckAfterMs,
        warned: entry.warned,
        now: scheduler.now(),
      });
      if (decision.kind === 'done') return;
      if (decision.kind === 'wait') {
        const slept = await scheduler.sleep(decision.checkAt - scheduler.now(), entry.stop.signal);
        if (!slept) return;
        continue;
      }
      // deploybot's own job: silent only when its script printed nothing for as long either.
      const output = await options.logs?.lastDeployLogAt(id).catch(() => undefined);
      if (entry.stop.signal.aborted) return;
      if (output !== undefined && output > entry.quietSince) {
        entry.quietSince = output;
        continue;
      }
      entry.warned = true;
      const { seen } = entry;
      const text = describeSilence({
        state: seen.status.state,
        silentForMs: decision.silentForMs,
        deployerMention: seen.notifyUser === undefined ? undefined : mention(seen.notifyUser),
        logLink: seen.status.logUrl === undefined ? undefined : linkTo(seen.status.logUrl, 'Log'),
      });
      try {
        await options.chat.postMessage(seen.channel, note(text), { threadTs: seen.threadTs });
        log.info({ deployment: id, silentForMs: decision.silentForMs }, 'deployment looks stuck; said so');
      } catch (error) {
        log.warn({ err: error, deployment: id }, 'could not say a deployment looks stuck');
      }
      return;
    }
  }

  return {
    observe(seen) {
      const id = seen.deployment.id;
      const at = Date.parse(seen.status.createdAt);
      const statusAt = Number.isNaN(at) ? scheduler.now() : at;
      const previous = watched.get(id);
      // Statuses come out of order: an older one says nothing new about silence.
      if (previous !== undefined && statusAt < previous.lastStatusAt) return;
      previous?.stop.abort();
      if (isFinalState(seen.status.state)) {
        watched.delete(id);
        return;
      }
      const entry: Watched = {
        seen,
        lastStatusAt: statusAt,
        quietSince: statusAt,
        // Said once per deployment, whatever comes after.
        warned: previous?.warned ?? false,
        stop: new AbortController(),
      };
      watched.set(id, entry);
      const target = findTarget(options.config, seen.deployment.repository, seen.deployment.environment);
      void watch(id, entry, target?.environment.stuckAfterMs);
    },
    stop() {
      for (const entry of watched.values()) entry.stop.abort();
      watched.clear();
    },
  };
}

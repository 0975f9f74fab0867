import { renderHomeBoard } from '../core/home-board.js';
import type { HomeViewPort } from '../core/ports/home-view.js';
import type { HomeViewerStore } from '../core/ports/home-viewer-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { Scheduler } from '../core/scheduler.js';
import type { ReadHomeBoard } from './read-home-board.js';

export interface HomeRefreshTimings {
  /** A change waits this long for the ones that follow it (a deployment's statuses come in bursts). */
  readonly coalesceMs: number;
  /** At most one `views.publish` per user this often. */
  readonly minIntervalMs: number;
  /** Boards of those who opened the Home this recently are kept current. */
  readonly viewerTtlMs: number;
  /** GitHub's deployments of an environment are read again after this, or when a webhook says they changed. */
  readonly deploymentsMaxAgeMs: number;
}

export interface RefreshHomeBoardsOptions {
  readonly viewers: HomeViewerStore;
  readonly board: ReadHomeBoard;
  readonly home: HomeViewPort;
  readonly scheduler: Scheduler;
  readonly log: LogPort;
  readonly timings: HomeRefreshTimings;
}

export interface HomeBoards {
  /** Someone opened the Home tab: remembered, and shown their board. */
  opened(userId: string): Promise<void>;
  /**
   * A deployment, lock, freeze, queue or CI wait changed: every recent viewer's board is
   * republished. `deployments` names where GitHub's deployments changed, to be read again.
   */
  changed(deployments?: { readonly repository: string; readonly environment: string }): void;
  stop(): void;
}

/**
 * Keeps the boards of recent viewers current: a change is published to each of them within
 * `minIntervalMs`, coalesced so that nobody gets more than one `views.publish` per
 * `minIntervalMs`. Waits go through the scheduler; the Slack adapter waits out 429s.
 */
export function createRefreshHomeBoards(options: RefreshHomeBoardsOptions): HomeBoards {
  const { viewers, board, home, scheduler, log, timings } = options;
  const stopping = new AbortController();
  const lastPublished = new Map<string, number>();
  /** Viewers whose board is older than the last change. */
  const stale = new Set<string>();
  let changeArrived = false;
  let looping = false;
  /** Changes so far, and the count each viewer's board was read after: who already saw the newest. */
  let changes = 0;
  const seen = new Map<string, number>();

  const eligibleAt = (userId: string) => (lastPublished.get(userId) ?? -Infinity) + timings.minIntervalMs;

  async function publishTo(userIds: readonly string[]): Promise<void> {
    const readAfter = changes;
    const facts = await board.readFacts();
    for (const userId of userIds) {
      if (stopping.signal.aborted) return;
      try {
        const view = renderHomeBoard(await board.boardFor(userId, facts));
        await home.publishHome(userId, view);
        lastPublished.set(userId, scheduler.now());
        seen.set(userId, readAfter);
      } catch (error) {
        log.warn({ err: error, user: userId }, 'could not publish a Home board');
      }
    }
  }

  async function round(): Promise<number> {
    const now = scheduler.now();
    if (changeArrived) {
      changeArrived = false;
      await viewers.forgetHomeViewers(now - timings.viewerTtlMs);
      const recent = await viewers.listHomeViewers(now - timings.viewerTtlMs);
      const ids = new Set(recent.map((viewer) => viewer.userId));
      for (const userId of seen.keys()) if (!ids.has(userId)) seen.delete(userId);
      // A board read after the newest change (one just opened) is current already.
      for (const userId of ids) if ((seen.get(userId) ?? -1) < changes) stale.add(userId);
    }
    for (const [userId, at] of lastPublished)
      if (now - at >= timings.minIntervalMs) lastPublished.delete(userId);
    const due = [...stale].filter((userId) => eligibleAt(userId) <= now);
    for (const userId of due) stale.delete(userId);
    if (due.length > 0) await publishTo(due);
    if (stale.size === 0) return timings.coalesceMs;
    const next = Math.min(...[...stale].map(eligibleAt));
    return Math.max(0, next - scheduler.now());
  }

  async function loop(): Promise<void> {
    looping = true;
    let wait = timings.coalesceMs;
    try {
      while (!stopping.signal.aborted && (changeArrived || stale.size > 0)) {
        if (!(await scheduler.sleep(wait, stopping.signal))) return;
        try {
          wait = await round();
        } catch (error) {
          // The store or GitHub could not be read: everyone is tried again after a pause.
          log.warn({ err: error }, 'could not refresh the Home boards');
          changeArrived = true;
          wait = timings.minIntervalMs;
        }
      }
    } finally {
      looping = false;
    }
  }

  function kick(): void {
    if (!looping && !stopping.signal.aborted) void loop();
  }

  return {
    async opened(userId) {
      const now = scheduler.now();
      await viewers.recordHomeViewer(userId, now);
      if (eligibleAt(userId) > now) {
        // Shown less than minIntervalMs ago: the next round brings it up to date.
        stale.add(userId);
        kick();
        return;
      }
      await publishTo([userId]);
    },
    changed(deployments) {
      if (deployments) board.forgetDeployments(deployments.repository, deployments.environment);
      changes += 1;
      changeArrived = true;
      kick();
    },
    stop() {
      stopping.abort();
    },
  };
}

import { describe, expect, it } from 'vitest';
import { DeploybotError } from '../../src/core/errors.js';
import type { Board, HomeView } from '../../src/core/home-board.js';
import type { HomeFacts, ReadHomeBoard } from '../../src/deploys/read-home-board.js';
import { createRefreshHomeBoards } from '../../src/deploys/refresh-home-boards.js';
import { createManualScheduler } from '../support/manual-scheduler.js';
import { createMemoryLog } from '../support/memory/memory-log.js';
import { createMemoryStore } from '../support/memory/memory-store.js';

const timings = {
  coalesceMs: 1_000,
  minIntervalMs: 10_000,
  viewerTtlMs: 3_600_000,
  deploymentsMaxAgeMs: 600_000,
};

function rig() {
  const scheduler = createManualScheduler(1_000_000);
  const store = createMemoryStore();
  const published: Array<{ userId: string; at: number; view: HomeView }> = [];
  const failing = new Set<string>();
  let reads = 0;
  const forgotten: string[] = [];
  const board: ReadHomeBoard = {
    forgetDeployments(repository, environment) {
      forgotten.push(`${repository} ${environment}`);
    },
    async readFacts(): Promise<HomeFacts> {
      reads += 1;
      return { now: scheduler.now(), repositories: [] };
    },
    async boardFor(_userId, facts): Promise<Board> {
      return { repositories: [], now: facts.now, timeZone: 'UTC' };
    },
  };
  const boards = createRefreshHomeBoards({
    viewers: store,
    board,
    home: {
      async publishHome(userId, view) {
        if (failing.has(userId)) throw new DeploybotError('slack_failed', 'user_not_found');
        published.push({ userId, at: scheduler.now(), view });
      },
    },
    scheduler,
    log: createMemoryLog(),
    timings,
  });
  const times = (userId: string) => published.filter((p) => p.userId === userId).map((p) => p.at - 1_000_000);
  return { scheduler, store, boards, published, failing, times, forgotten, reads: () => reads };
}

describe('keeping the Home boards current', () => {
  it('publishes at once on opening, and a change after the coalescing wait', async () => {
    const r = rig();
    await r.boards.opened('U0ALICE');
    expect(r.times('U0ALICE')).toEqual([0]);
    await r.scheduler.advance(20_000);
    r.boards.changed();
    await r.scheduler.advance(1_000);
    expect(r.times('U0ALICE')).toEqual([0, 21_000]);
  });

  it('coalesces a burst into one publish per user per 10 s, none later than 10 s after a change', async () => {
    const r = rig();
    await r.boards.opened('U0ALICE');
    for (let i = 0; i < 5; i++) {
      r.boards.changed();
      await r.scheduler.advance(2_000);
    }
    // Changes at 0, 2, 4, 6, 8 s: all wait for 10 s after the opening, and that one board shows them all.
    await r.scheduler.advance(30_000);
    expect(r.times('U0ALICE')).toEqual([0, 10_000]);
    // One more at 40 s: 1 s later, since the last publish was long enough ago.
    r.boards.changed();
    await r.scheduler.advance(1_000);
    r.boards.changed();
    await r.scheduler.advance(20_000);
    expect(r.times('U0ALICE')).toEqual([0, 10_000, 41_000, 51_000]);
  });

  it('leaves alone a board read after the newest change, and viewers older than an hour', async () => {
    const r = rig();
    await r.boards.opened('U0OLD');
    await r.scheduler.advance(61 * 60_000);
    r.boards.changed();
    await r.boards.opened('U0ALICE');
    await r.scheduler.advance(15_000);
    expect(r.times('U0ALICE')).toEqual([61 * 60_000]);
    expect(r.times('U0OLD')).toEqual([0]);
    expect(await r.store.listHomeViewers(0)).toEqual([
      { userId: 'U0ALICE', openedAt: 1_000_000 + 61 * 60_000 },
    ]);
  });

  it('reads the facts once for every board of a round, GitHub’s again where a deployment changed', async () => {
    const r = rig();
    for (const user of ['U0A', 'U0B', 'U0C']) await r.boards.opened(user);
    const before = r.reads();
    await r.scheduler.advance(20_000);
    r.boards.changed({ repository: 'octo-org/web', environment: 'staging' });
    r.boards.changed();
    expect(r.forgotten).toEqual(['octo-org/web staging']);
    await r.scheduler.advance(1_000);
    expect(r.published).toHaveLength(6);
    expect(r.reads() - before).toBe(1);
  });

  it('goes on with the others when one board cannot be published, and stops when told', async () => {
    const r = rig();
    await r.boards.opened('U0A');
    await r.boards.opened('U0B');
    r.failing.add('U0A');
    await r.scheduler.advance(20_000);
    r.boards.changed();
    await r.scheduler.advance(1_000);
    expect(r.times('U0B')).toEqual([0, 21_000]);
    r.boards.stop();
    r.boards.changed();
    await r.scheduler.advance(60_000);
    expect(r.times('U0B')).toEqual([0, 21_000]);
    expect(r.scheduler.pendingSleeps()).toBe(0);
  });
});

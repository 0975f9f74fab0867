import { describe, expect, it } from 'vitest';
import { DeploybotError } from '../../src/core/errors.js';
import type { DeliveryStore, NewDelivery, StoredDelivery } from '../../src/core/ports/delivery-store.js';
import { createLogger } from '../../src/logger.js';
import { createInbox, type InboxOptions } from '../../src/webhooks/inbox.js';
import { createManualScheduler, type ManualScheduler } from '../support/manual-scheduler.js';
import { createMemoryStore } from '../support/memory/memory-store.js';

const START = 1_000_000;
const TTL = 9_000;

const delivery = (id: string, repository: string, receivedAt: number): NewDelivery => ({
  deliveryId: id,
  event: 'status',
  action: undefined,
  partitionKey: repository,
  payload: {},
  receivedAt,
});

interface Handled {
  readonly id: string;
  readonly owner: string;
  readonly attempts: number;
  readonly at: number;
}

function inboxOn(
  store: DeliveryStore,
  scheduler: ManualScheduler,
  handled: Handled[],
  handle: (d: StoredDelivery) => Promise<void>,
  overrides: Partial<InboxOptions> = {},
) {
  const owner = overrides.owner ?? 'A';
  return createInbox({
    store,
    handle: async (d) => {
      handled.push({ id: d.deliveryId, owner, attempts: d.attempts, at: scheduler.now() - START });
      await handle(d);
    },
    scheduler,
    logger: createLogger({ level: 'silent' }),
    owner,
    maxInFlight: 64,
    maxAttempts: 3,
    retryDelayMs: (attempt) => attempt * 10_000,
    tuning: {
      leaseTtlMs: TTL,
      pollIntervalMs: 1_000,
      minClaimGapMs: 0,
      storeRetryDelayMs: () => 2_000,
      pressedClaimGapMs: 250,
    },
    pressed: () => false,
    ...overrides,
  });
}

function createRig(handle: (d: StoredDelivery) => Promise<void>, overrides: Partial<InboxOptions> = {}) {
  const scheduler = createManualScheduler(START);
  const store = createMemoryStore();
  const handled: Handled[] = [];
  const inbox = inboxOn(store, scheduler, handled, handle, overrides);
  inbox.start();
  const receive = async (d: NewDelivery) => {
    await store.recordDelivery(d);
    inbox.nudge(d.partitionKey);
  };
  const pendingIds = async () =>
    (await store.listRunnableDeliveries(Number.MAX_SAFE_INTEGER, 100)).map((d) => d.deliveryId);
  return { scheduler, store, inbox, handled, receive, pendingIds };
}

/** A promise a test resolves by hand. */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

const unavailable = () => new DeploybotError('github_unavailable', 'GitHub is down');

describe('the webhook inbox', () => {
  it('retries a retryable failure when its next attempt is due, holding back its repository only', async () => {
    let failures = 2;
    const rig = createRig(async (d) => {
      if (d.deliveryId === 'a1' && failures-- > 0) throw unavailable();
    });
    await rig.receive(delivery('a1', 'octo-org/web', 1));
    await rig.receive(delivery('a2', 'octo-org/web', 2));
    await rig.receive(delivery('b1', 'octo-org/api', 3));
    await rig.scheduler.advance(0);
    expect(rig.handled.map((h) => h.id)).toEqual(['a1', 'b1']);
    expect(await rig.pendingIds()).toEqual(['a1', 'a2']);
    // Nothing waits in memory for the retry: the store holds when it is due.
    expect(rig.scheduler.pendingSleeps()).toBe(1);

    await rig.scheduler.advance(10_000);
    expect(rig.handled.map((h) => [h.id, h.attempts])).toEqual([
      ['a1', 0],
      ['b1', 0],
      ['a1', 1],
    ]);
    await rig.scheduler.advance(20_000);
    await rig.inbox.idle();
    expect(rig.handled.map((h) => [h.id, h.attempts, h.at])).toEqual([
      ['a1', 0, 0],
      ['b1', 0, 0],
      ['a1', 1, 10_000],
      ['a1', 2, 30_000],
      ['a2', 0, 30_000],
    ]);
    expect(await rig.pendingIds()).toEqual([]);
    await rig.inbox.stop();
  });

  it('gives up at once on what a retry cannot fix, and after the last attempt on the rest', async () => {
    const rig = createRig(async (d) => {
      throw d.deliveryId === 'bad' ? new DeploybotError('bad_request', 'unexpected payload') : unavailable();
    });
    await rig.receive(delivery('bad', 'octo-org/web', 1));
    await rig.receive(delivery('down', 'octo-org/api', 2));
    await rig.scheduler.advance(60_000);
    await rig.inbox.idle();
    expect(rig.handled.map((h) => [h.id, h.attempts])).toEqual([
      ['bad', 0],
      ['down', 0],
      ['down', 1],
      ['down', 2],
    ]);
    // Failed for good: GitHub's redelivery takes them up again.
    expect(await rig.store.recordDelivery(delivery('bad', 'octo-org/web', 1))).toBe('retried');
    expect(await rig.store.recordDelivery(delivery('down', 'octo-org/api', 2))).toBe('retried');
    await rig.inbox.stop();
  });

  it('retries a delivery the database failed without using up its attempts', async () => {
    let failures = 5;
    const rig = createRig(async () => {
      if (failures-- > 0) throw new DeploybotError('store_unavailable', 'the database did not answer');
    });
    await rig.receive(delivery('a1', 'octo-org/web', 1));
    await rig.scheduler.advance(60_000);
    await rig.inbox.idle();
    // Five database failures, more than the three attempts a delivery gets, and still handled.
    expect(rig.handled.map((h) => [h.attempts, h.at])).toEqual([
      [0, 0],
      [0, 10_000],
      [0, 20_000],
      [0, 30_000],
      [0, 40_000],
      [0, 50_000],
    ]);
    expect(await rig.pendingIds()).toEqual([]);
    expect(await rig.store.recordDelivery(delivery('a1', 'octo-org/web', 1))).toBe('duplicate');
    await rig.inbox.stop();
  });

  it('holds at most maxInFlight deliveries at once, and takes the next as one ends', async () => {
    const gates = new Map<string, ReturnType<typeof gate>>();
    let running = 0;
    let most = 0;
    const rig = createRig(
      async (d) => {
        running += 1;
        most = Math.max(most, running);
        const g = gate();
        gates.set(d.deliveryId, g);
        await g.opened;
        running -= 1;
      },
      { maxInFlight: 3 },
    );
    for (let i = 0; i < 8; i++) await rig.receive(delivery(`d${i}`, `repo-${i}`, i));
    await rig.scheduler.advance(0);
    expect(rig.handled.map((h) => h.id)).toEqual(['d0', 'd1', 'd2']);
    gates.get('d1')?.open();
    await rig.scheduler.advance(0);
    expect(rig.handled.map((h) => h.id)).toEqual(['d0', 'd1', 'd2', 'd3']);
    for (let round = 0; round < 8; round++) {
      for (const g of gates.values()) g.open();
      await rig.scheduler.advance(0);
    }
    await rig.inbox.idle();
    expect(rig.handled.map((h) => h.id).sort()).toEqual(['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7']);
    expect(most).toBe(3);
    await rig.inbox.stop();
  });

  it('claims nothing for a delivery behind one of its repository handled here, and takes it when that one ends', async () => {
    const first = gate();
    const scheduler = createManualScheduler(START);
    const memory = createMemoryStore();
    let claims = 0;
    const store: DeliveryStore = {
      ...memory,
      claimDeliveries: (...args) => {
        claims += 1;
        return memory.claimDeliveries(...args);
      },
    };
    const handled: Handled[] = [];
    const inbox = inboxOn(store, scheduler, handled, async (d) => {
      if (d.deliveryId === 'd0') await first.opened;
    });
    inbox.start();
    await memory.recordDelivery(delivery('d0', 'repo', 0));
    inbox.nudge('repo');
    await scheduler.advance(0);
    expect(handled.map((h) => h.id)).toEqual(['d0']);
    const before = claims;
    for (let i = 1; i <= 5; i++) {
      await memory.recordDelivery(delivery(`d${i}`, 'repo', i));
      inbox.nudge('repo');
      await scheduler.advance(0);
    }
    expect(claims).toBe(before);
    // Another repository's delivery is claimed at once.
    await memory.recordDelivery(delivery('other', 'elsewhere', 6));
    inbox.nudge('elsewhere');
    await scheduler.advance(0);
    expect(claims).toBeGreaterThan(before);
    expect(handled.map((h) => h.id)).toEqual(['d0', 'other']);
    first.open();
    for (let round = 0; round < 8; round++) await scheduler.advance(0);
    await inbox.idle();
    expect(handled.map((h) => h.id)).toEqual(['d0', 'other', 'd1', 'd2', 'd3', 'd4', 'd5']);
    await inbox.stop();
  });

  it('renews its leases while a delivery takes long, so no other process takes it', async () => {
    const slow = gate();
    const rig = createRig(async (d) => {
      if (d.deliveryId === 'slow') await slow.opened;
    });
    const other = inboxOn(rig.store, rig.scheduler, rig.handled, async () => undefined, { owner: 'B' });
    other.start();
    await rig.receive(delivery('slow', 'octo-org/web', 1));
    await rig.scheduler.advance(0);
    // Four lease lengths: without heartbeats B would have taken it over three times.
    await rig.scheduler.advance(4 * TTL);
    slow.open();
    await rig.scheduler.advance(0);
    await Promise.all([rig.inbox.idle(), other.idle()]);
    expect(rig.handled.map((h) => [h.id, h.owner])).toEqual([['slow', 'A']]);
    await Promise.all([rig.inbox.stop(), other.stop()]);
  });

  it('takes over the deliveries of a process whose leases lapsed', async () => {
    const scheduler = createManualScheduler(START);
    const store = createMemoryStore();
    const handled: Handled[] = [];
    const hang = gate();
    // A process that died after its first claim: nothing of it reaches the store any more.
    let claims = 0;
    const gone = () => new DeploybotError('store_unavailable', 'gone');
    const deadStore: DeliveryStore = {
      ...store,
      claimDeliveries: async (...args) => {
        if (claims++ > 0) throw gone();
        return store.claimDeliveries(...args);
      },
      renewDeliveryLeases: async () => {
        throw gone();
      },
    };
    const dead = inboxOn(deadStore, scheduler, handled, () => hang.opened, { owner: 'dead' });
    const alive = inboxOn(store, scheduler, handled, async () => undefined, { owner: 'alive' });
    await store.recordDelivery(delivery('a1', 'octo-org/web', 1));
    await store.recordDelivery(delivery('a2', 'octo-org/web', 2));
    dead.start();
    await scheduler.advance(0);
    alive.start();
    await scheduler.advance(TTL - 1_000);
    expect(handled.map((h) => [h.id, h.owner])).toEqual([['a1', 'dead']]);
    await scheduler.advance(2_000);
    await alive.idle();
    expect(handled.map((h) => [h.id, h.owner])).toEqual([
      ['a1', 'dead'],
      ['a1', 'alive'],
      ['a2', 'alive'],
    ]);
    hang.open();
    await Promise.all([dead.stop(), alive.stop()]);
  });

  it('keeps each repository in order and one at a time, across two inboxes on one store', async () => {
    const scheduler = createManualScheduler(START);
    const store = createMemoryStore();
    const handled: Handled[] = [];
    const busy = new Set<string>();
    let overlaps = 0;
    const handle = async (d: StoredDelivery) => {
      if (busy.has(d.partitionKey)) overlaps += 1;
      busy.add(d.partitionKey);
      // Uneven handling times, so the two inboxes interleave.
      await scheduler.sleep((Number(d.deliveryId.slice(1)) % 7) * 100);
      busy.delete(d.partitionKey);
    };
    const inboxes = [
      inboxOn(store, scheduler, handled, handle, { owner: 'A', maxInFlight: 2 }),
      inboxOn(store, scheduler, handled, handle, { owner: 'B', maxInFlight: 2 }),
    ];
    for (let i = 0; i < 30; i++) await store.recordDelivery(delivery(`d${i}`, `repo-${i % 5}`, i));
    for (const inbox of inboxes) inbox.start();
    for (let step = 0; step < 100; step++) await scheduler.advance(100);
    await Promise.all(inboxes.map((inbox) => inbox.idle()));
    expect(overlaps).toBe(0);
    expect(handled.map((h) => h.id).sort()).toEqual([...Array(30).keys()].map((i) => `d${i}`).sort());
    expect(new Set(handled.map((h) => h.owner))).toEqual(new Set(['A', 'B']));
    for (let r = 0; r < 5; r++) {
      const order = handled.filter((h) => Number(h.id.slice(1)) % 5 === r).map((h) => Number(h.id.slice(1)));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    await Promise.all(inboxes.map((inbox) => inbox.stop()));
  });

  it('backs off while the store fails, and resumes on its own when it answers again', async () => {
    const scheduler = createManualScheduler(START);
    const store = createMemoryStore();
    const handled: Handled[] = [];
    let down = true;
    const flaky: DeliveryStore = {
      ...store,
      claimDeliveries: async (...args) => {
        if (down) throw new DeploybotError('store_unavailable', 'the database did not answer');
        return store.claimDeliveries(...args);
      },
      markDeliveryDone: async (...args) => {
        if (down) throw new DeploybotError('store_unavailable', 'the database did not answer');
        return store.markDeliveryDone(...args);
      },
    };
    const inbox = inboxOn(flaky, scheduler, handled, async (d) => {
      // An outage starts while the first delivery is handled: how it ended cannot be written.
      if (d.deliveryId === 'a1') down = true;
    });
    await store.recordDelivery(delivery('a1', 'octo-org/web', 1));
    inbox.start();
    await scheduler.advance(10_000);
    expect(handled).toEqual([]);
    down = false;
    await scheduler.advance(2_000);
    expect(handled.map((h) => h.id)).toEqual(['a1']);
    await store.recordDelivery(delivery('a2', 'octo-org/web', 2));
    // a1's done is written once the store answers; a2 waits behind it till then.
    await scheduler.advance(10_000);
    expect(handled.map((h) => h.id)).toEqual(['a1']);
    down = false;
    await scheduler.advance(10_000);
    await inbox.idle();
    expect(handled.map((h) => h.id)).toEqual(['a1', 'a2']);
    expect((await store.listRunnableDeliveries(Number.MAX_SAFE_INTEGER, 10)).length).toBe(0);
    await inbox.stop();
  });

  it('stops claiming on stop, waits for what it handles, and leaves a retry stored for whoever comes next', async () => {
    const slow = gate();
    const rig = createRig(async (d) => {
      if (d.deliveryId === 'a1') throw unavailable();
      await slow.opened;
    });
    await rig.receive(delivery('a1', 'octo-org/web', 1));
    await rig.receive(delivery('b1', 'octo-org/api', 2));
    await rig.scheduler.advance(0);
    let stopped = false;
    const stopping = rig.inbox.stop().then(() => {
      stopped = true;
    });
    await rig.receive(delivery('c1', 'octo-org/other', 3));
    await rig.scheduler.advance(0);
    expect(stopped).toBe(false);
    slow.open();
    await stopping;
    expect(rig.handled.map((h) => h.id)).toEqual(['a1', 'b1']);
    expect(await rig.pendingIds()).toEqual(['a1', 'c1']);

    const next = inboxOn(rig.store, rig.scheduler, rig.handled, async () => undefined, { owner: 'B' });
    next.start();
    await rig.scheduler.advance(0);
    expect(rig.handled.map((h) => h.id)).toEqual(['a1', 'b1', 'c1']);
    await rig.scheduler.advance(10_000);
    await next.idle();
    expect(rig.handled.map((h) => [h.id, h.owner, h.attempts])).toEqual([
      ['a1', 'A', 0],
      ['b1', 'A', 0],
      ['c1', 'B', 0],
      ['a1', 'B', 1],
    ]);
    expect(await rig.pendingIds()).toEqual([]);
    await next.stop();
  });

  it('is idle only when nothing is handled and nothing stored is due', async () => {
    const slow = gate();
    const rig = createRig(() => slow.opened);
    await rig.receive(delivery('a1', 'octo-org/web', 1));
    await rig.receive(delivery('a2', 'octo-org/web', 2));
    let idle = false;
    const waiting = rig.inbox.idle().then(() => {
      idle = true;
    });
    await rig.scheduler.advance(0);
    expect(idle).toBe(false);
    slow.open();
    await rig.scheduler.advance(0);
    await waiting;
    expect(rig.handled.map((h) => h.id)).toEqual(['a1', 'a2']);
    expect(await rig.pendingIds()).toEqual([]);
    await rig.inbox.stop();
  });

  it('while webhooks pour in, claims once per gap, and as soon as they ease, at once again', async () => {
    let pressed = true;
    const rig = createRig(async () => undefined, { pressed: () => pressed });
    await rig.receive(delivery('a1', 'octo-org/web', 1));
    await rig.receive(delivery('a2', 'octo-org/web', 2));
    await rig.receive(delivery('a3', 'octo-org/web', 3));
    await rig.scheduler.advance(0);
    // The first claim of a quiet inbox waits for nothing.
    expect(rig.handled.map((h) => [h.id, h.at])).toEqual([['a1', 0]]);
    await rig.scheduler.advance(100);
    await rig.receive(delivery('b1', 'octo-org/api', 4));
    await rig.scheduler.advance(149);
    expect(rig.handled.map((h) => h.id)).toEqual(['a1']);
    await rig.scheduler.advance(1);
    // One claim takes the head of each repository.
    expect(rig.handled.map((h) => [h.id, h.at])).toEqual([
      ['a1', 0],
      ['a2', 250],
      ['b1', 250],
    ]);
    pressed = false;
    await rig.scheduler.advance(250);
    await rig.inbox.idle();
    await rig.receive(delivery('a4', 'octo-org/web', 5));
    await rig.receive(delivery('a5', 'octo-org/web', 6));
    await rig.scheduler.advance(0);
    await rig.inbox.idle();
    expect(rig.handled.map((h) => [h.id, h.at])).toEqual([
      ['a1', 0],
      ['a2', 250],
      ['b1', 250],
      ['a3', 500],
      ['a4', 500],
      ['a5', 500],
    ]);
    await rig.inbox.stop();
  });
});

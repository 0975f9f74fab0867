import { describe, expect, it } from 'vitest';
import { type KnownStatus, mergeKnownStatus } from '../../src/core/known-status.js';
import { STORES, useTestStore } from '../support/databases.js';

const status = (deploymentId: number, statusId: number, fields: Partial<KnownStatus> = {}): KnownStatus => ({
  deploymentId,
  repository: 'octo-org/web',
  statusId,
  state: 'success',
  createdAt: 1_700_000_000_000 + statusId,
  ...fields,
});

const STATES = ['queued', 'in_progress', 'success', 'failure', 'inactive'] as const;

/** A small seeded generator, so a failing order of arrival can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Statuses of a few deployments in a shuffled order of arrival. A status id names one status,
 * as on GitHub, so its fields are the same each time it comes; some have a log, some do not.
 */
function arrivals(next: () => number): KnownStatus[] {
  const pool = Array.from({ length: 12 }, (_, i) => {
    const deploymentId = 1 + (i % 3);
    const statusId = 100 + i * 7;
    return status(deploymentId, statusId, {
      state: STATES[i % STATES.length] as KnownStatus['state'],
      ...(next() < 0.5 ? { logUrl: `https://ci/${statusId}` } : {}),
      ...(next() < 0.3 ? { environmentUrl: `https://env/${statusId}` } : {}),
    });
  });
  const seen = Array.from({ length: 20 }, () => pool[Math.floor(next() * pool.length)] as KnownStatus);
  return seen;
}

describe.each(STORES)('known statuses on %s', (_name, createDatabase) => {
  const storeOf = useTestStore(createDatabase);

  it('gives back what was remembered, and nothing for deployments never seen', async () => {
    const first = status(1, 10, { logUrl: 'https://ci/1', environmentUrl: 'https://web' });
    await storeOf().rememberStatuses([first, status(2, 20, { state: 'in_progress' })]);
    const known = await storeOf().getKnownStatuses([1, 2, 3]);
    expect(known.get(1)).toEqual(first);
    expect(known.get(2)).toEqual(status(2, 20, { state: 'in_progress' }));
    expect(known.has(3)).toBe(false);
  });

  it('keeps the newest status whatever the order of arrival', async () => {
    await storeOf().rememberStatuses([status(1, 30, { state: 'failure' })]);
    await storeOf().rememberStatuses([status(1, 20, { state: 'in_progress' })]);
    expect((await storeOf().getKnownStatuses([1])).get(1)?.state).toBe('failure');
    await storeOf().rememberStatuses([status(1, 40, { state: 'inactive' })]);
    expect((await storeOf().getKnownStatuses([1])).get(1)?.statusId).toBe(40);
  });

  it("keeps the log of an older status when GitHub's retirement has none", async () => {
    await storeOf().rememberStatuses([status(1, 10, { logUrl: 'https://ci/1' })]);
    await storeOf().rememberStatuses([status(1, 11, { state: 'inactive' })]);
    expect((await storeOf().getKnownStatuses([1])).get(1)).toEqual(
      status(1, 11, { state: 'inactive', logUrl: 'https://ci/1' }),
    );
  });

  it('ends where mergeKnownStatus ends, for any order of arrival and any grouping into calls', async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const next = random(seed);
      const seen = arrivals(next).map((s) => ({ ...s, deploymentId: s.deploymentId + seed * 10 }));
      const expected = new Map<number, KnownStatus>();
      for (const s of seen) expected.set(s.deploymentId, mergeKnownStatus(expected.get(s.deploymentId), s));
      // Remembered in calls of one to four statuses, as webhooks and GitHub reads bring them.
      for (let i = 0; i < seen.length; ) {
        const take = 1 + Math.floor(next() * 4);
        await storeOf().rememberStatuses(seen.slice(i, i + take));
        i += take;
      }
      const known = await storeOf().getKnownStatuses([...expected.keys()]);
      expect({ seed, known: Object.fromEntries(known) }).toEqual({
        seed,
        known: Object.fromEntries(expected),
      });
    }
  });

  it('reads many deployments at once', async () => {
    const many = Array.from({ length: 450 }, (_, i) => status(i + 1, 1_000 + i));
    await storeOf().rememberStatuses(many);
    const known = await storeOf().getKnownStatuses(many.map((s) => s.deploymentId));
    expect(known.size).toBe(450);
    expect(known.get(450)?.statusId).toBe(1_449);
  });
});

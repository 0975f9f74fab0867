import { describe, expect, it } from 'vitest';
import type { NewDeployJob } from '../../src/core/ports/deploy-job-store.js';
import type { Store } from '../../src/store/store.js';
import { STORES, useTestStore } from '../support/databases.js';
import { aDeploymentRequest } from '../support/records.js';

const delivery = (id: string, receivedAt: number) => ({
  deliveryId: id,
  event: 'deployment',
  action: 'created',
  partitionKey: 'octo-org/web',
  payload: { deployment: { id: 1 }, hook: id },
  receivedAt,
});

const job = (id: number, enqueuedAt: number): NewDeployJob => ({
  deploymentId: id,
  repository: 'octo-org/web',
  environment: 'staging',
  lane: 'octo-org/web:staging',
  ref: 'main',
  sha: 'a'.repeat(40),
  task: 'deploy',
  creator: 'octocat',
  payload: {},
  logToken: `token-${id}`,
  enqueuedAt,
});

const outcome = { state: 'success' as const, description: 'deployed' };

/** Calls `step` until it touches nothing, as the retention chore does; says how many it touched. */
async function drain(step: (before: number, limit: number) => Promise<number>, before: number, limit = 2) {
  let total = 0;
  for (let i = 0; i < 100; i++) {
    const touched = await step(before, limit);
    expect(touched).toBeLessThanOrEqual(limit * 2);
    if (touched === 0) return total;
    total += touched;
  }
  throw new Error('retention never ran out of rows');
}

async function finishedJob(store: Store, id: number, finishedAt: number, settle?: 'posted' | 'abandoned') {
  await store.recordDeployJob(job(id, finishedAt - 10));
  await store.claimDeployJob(id, 'octo-org/web:staging', 'runner', finishedAt - 5);
  await store.finishDeployJob(id, 'running', outcome, finishedAt, `note of ${id}`);
  if (settle) await store.settleFinalDeployStatus(id, settle);
}

describe.each(STORES)('retention on %s', (_name, createDatabase) => {
  const storeOf = useTestStore(createDatabase);

  it('drops the payloads of handled deliveries before the cut-off, in batches, keeping their ids', async () => {
    const store = storeOf();
    for (const [id, at] of [
      ['old-done', 100],
      ['old-failed', 110],
      ['old-pending', 120],
      ['old-done-2', 130],
      ['new-done', 1_000],
    ] as const) {
      await store.recordDelivery(delivery(id, at));
      if (id.includes('done')) await store.markDeliveryDone(id, at);
      if (id.includes('failed')) await store.markDeliveryFailed(id, 'boom', at);
    }
    await store.recordIgnoredDelivery('old-ignored', 'ping', 90);
    expect(await drain(store.dropDeliveryPayloads, 500)).toBe(3);
    // Done already: nothing is touched twice, so a loop over batches ends.
    expect(await store.dropDeliveryPayloads(500, 10)).toBe(0);
    expect(await store.countDeliveries()).toBe(6);
    expect(await store.recordDelivery(delivery('old-done', 2_000))).toBe('duplicate');
    // A failed one redelivered runs again, with what is left of it: an empty record.
    expect(await store.recordDelivery(delivery('old-failed', 2_000))).toBe('retried');
    const runnable = await store.listRunnableDeliveries(3_000, 10);
    expect(runnable.find((d) => d.deliveryId === 'old-failed')?.payload).toEqual({});
    expect(runnable.find((d) => d.deliveryId === 'old-pending')?.payload).toEqual(
      delivery('old-pending', 120).payload,
    );
  });

  it('deletes handled deliveries before the cut-off, never a pending one', async () => {
    const store = storeOf();
    for (const [id, at] of [
      ['a', 100],
      ['b', 110],
      ['c', 120],
      ['pending', 130],
      ['new', 1_000],
    ] as const) {
      await store.recordDelivery(delivery(id, at));
      if (id !== 'pending') await store.markDeliveryDone(id, at);
    }
    expect(await drain(store.deleteDeliveries, 500)).toBe(3);
    expect(await store.countDeliveries()).toBe(2);
    expect(await store.recordDelivery(delivery('a', 2_000))).toBe('recorded');
    expect(await store.recordDelivery(delivery('new', 2_000))).toBe('duplicate');
  });

  it('deletes finished jobs that ended before the cut-off and owe no status', async () => {
    const store = storeOf();
    await finishedJob(store, 1, 100, 'posted');
    await finishedJob(store, 2, 110, 'abandoned');
    await finishedJob(store, 3, 120, 'posted');
    await finishedJob(store, 4, 130); // its final status is still owed
    await finishedJob(store, 5, 1_000, 'posted');
    await store.recordDeployJob(job(6, 50)); // queued for ever: not finished
    expect(await drain(store.deleteFinishedDeployJobs, 500)).toBe(3);
    for (const id of [1, 2, 3]) expect(await store.getDeployJob(id)).toBeUndefined();
    for (const id of [4, 5, 6]) expect(await store.getDeployJob(id)).toBeDefined();
  });

  it('deletes announcements and announced statuses before the cut-off', async () => {
    const store = storeOf();
    for (const [id, at] of [
      [11, 100],
      [12, 110],
      [13, 1_000],
    ] as const) {
      const shown = { deploymentId: id, repository: 'octo-org/web', channel: 'C0WEB', ts: `${id}.1` };
      await store.saveAnnouncement({ ...shown, statusId: id * 10, state: 'success' }, at);
      await store.recordAnnouncedStatus(id * 10, id, `${id}.1`, at);
    }
    expect(await drain(store.deleteAnnouncements, 500, 1)).toBe(4);
    expect(await store.getAnnouncement(11)).toBeUndefined();
    expect(await store.getAnnouncement(12)).toBeUndefined();
    expect(await store.getAnnouncement(13)).toBeDefined();
    expect(await store.hasAnnouncedStatus(110)).toBe(false);
    expect(await store.hasAnnouncedStatus(130)).toBe(true);
  });

  it('deletes the statuses GitHub created before the cut-off', async () => {
    const store = storeOf();
    const known = (deploymentId: number, createdAt: number) => ({
      deploymentId,
      repository: 'octo-org/web',
      statusId: deploymentId * 10,
      state: 'success' as const,
      createdAt,
    });
    await store.rememberStatuses([known(31, 100), known(32, 200), known(33, 1_000)]);
    expect(await drain(store.deleteKnownStatuses, 500, 1)).toBe(2);
    expect([...(await store.getKnownStatuses([31, 32, 33])).keys()]).toEqual([33]);
  });

  it('deletes deploy log chunks stored before the cut-off', async () => {
    const store = storeOf();
    for (let seq = 1; seq <= 5; seq++) await store.appendDeployLog(21, seq, `line ${seq}`, 100 + seq);
    await store.appendDeployLog(22, 1, 'new', 1_000);
    expect(await drain(store.deleteDeployLogs, 500)).toBe(5);
    expect(await store.readDeployLog(21, 0, 10)).toEqual([]);
    expect(await store.readDeployLog(22, 0, 10)).toEqual([{ seq: 1, text: 'new' }]);
  });

  it('lists every wait for CI, oldest first', async () => {
    const store = storeOf();
    const wait = (id: string, repository: string, createdAt: number) => ({
      id,
      repository,
      sha: 'c'.repeat(40),
      environment: 'production',
      request: aDeploymentRequest({ ref: 'c'.repeat(40) }),
      channel: 'C0WEB',
      messageTs: undefined,
      waitingFor: ['ci/build'],
      createdAt,
    });
    await store.savePendingDeploy(wait('w2', 'octo-org/api', 200));
    await store.savePendingDeploy(wait('w1', 'octo-org/web', 100));
    await store.savePendingDeploy(wait('w3', 'octo-org/web', 300));
    expect((await store.listAllPendingDeploys(10)).map((p) => p.id)).toEqual(['w1', 'w2', 'w3']);
    expect((await store.listAllPendingDeploys(2)).map((p) => p.id)).toEqual(['w1', 'w2']);
  });
});

import { describe, expect, it } from 'vitest';
import type { RetentionStore } from '../../src/core/ports/retention-store.js';
import { createApplyRetention } from '../../src/deploys/apply-retention.js';
import { createManualScheduler } from '../support/manual-scheduler.js';
import { createMemoryLog } from '../support/memory/memory-log.js';
import { createMemoryStore } from '../support/memory/memory-store.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2024-05-01T10:00:00Z');

/** Each step of the store, called with what cut-off and batch, and as many rows as `left` says. */
function recordingStore(left: Record<keyof RetentionStore, number>) {
  const calls: Array<{ step: keyof RetentionStore; before: number; limit: number }> = [];
  const step =
    (name: keyof RetentionStore) =>
    async (before: number, limit: number): Promise<number> => {
      calls.push({ step: name, before, limit });
      const touched = Math.min(left[name], limit);
      left[name] -= touched;
      return touched;
    };
  const store: RetentionStore = {
    dropDeliveryPayloads: step('dropDeliveryPayloads'),
    deleteDeliveries: step('deleteDeliveries'),
    deleteFinishedDeployJobs: step('deleteFinishedDeployJobs'),
    deleteAnnouncements: step('deleteAnnouncements'),
    deleteKnownStatuses: step('deleteKnownStatuses'),
    deleteDeployLogs: step('deleteDeployLogs'),
  };
  return { store, calls };
}

describe('applyRetention', () => {
  it('cuts payloads at 7 days, delivery ids at 30 and the rest at RETENTION_DAYS, a batch at a time', async () => {
    const { store, calls } = recordingStore({
      dropDeliveryPayloads: 1_200,
      deleteDeliveries: 0,
      deleteFinishedDeployJobs: 501,
      deleteAnnouncements: 3,
      deleteKnownStatuses: 2,
      deleteDeployLogs: 0,
    });
    const log = createMemoryLog();
    const apply = createApplyRetention({
      store,
      clock: createManualScheduler(NOW),
      retentionDays: 90,
      log,
    });
    await apply(new AbortController().signal);
    const seen = (step: keyof RetentionStore) => calls.filter((c) => c.step === step);
    expect(seen('dropDeliveryPayloads').map((c) => c.before)).toEqual(Array(4).fill(NOW - 7 * DAY));
    expect(seen('deleteDeliveries')).toEqual([
      { step: 'deleteDeliveries', before: NOW - 30 * DAY, limit: 500 },
    ]);
    expect(seen('deleteFinishedDeployJobs').map((c) => c.before)).toEqual(Array(3).fill(NOW - 90 * DAY));
    expect(seen('deleteAnnouncements')).toHaveLength(2);
    expect(seen('deleteKnownStatuses').map((c) => c.before)).toEqual([NOW - 90 * DAY, NOW - 90 * DAY]);
    expect(seen('deleteDeployLogs')).toHaveLength(1);
    expect(calls.every((c) => c.limit === 500)).toBe(true);
    expect(log.lines.filter((l) => l.level === 'info').map((l) => [l.message, l.fields.rows])).toEqual([
      ['retention: delivery payloads dropped', 1_200],
      ['retention: finished deploy jobs deleted', 501],
      ['retention: announcements deleted', 3],
      ['retention: known statuses deleted', 2],
    ]);
  });

  it('stops between batches when asked to, leaving the rest for next time', async () => {
    const { store, calls } = recordingStore({
      dropDeliveryPayloads: 10_000,
      deleteDeliveries: 10,
      deleteFinishedDeployJobs: 10,
      deleteAnnouncements: 10,
      deleteKnownStatuses: 10,
      deleteDeployLogs: 10,
    });
    const stop = new AbortController();
    const apply = createApplyRetention({
      store: {
        ...store,
        dropDeliveryPayloads: async (before, limit) => {
          stop.abort();
          return store.dropDeliveryPayloads(before, limit);
        },
      },
      clock: createManualScheduler(NOW),
      retentionDays: 90,
      log: createMemoryLog(),
    });
    await apply(stop.signal);
    expect(calls).toHaveLength(1);
  });

  it('deletes from a real store only what is older than its cut-off', async () => {
    const store = createMemoryStore();
    const old = NOW - 91 * DAY;
    await store.appendDeployLog(1, 1, 'old', old);
    await store.appendDeployLog(2, 1, 'recent', NOW - 89 * DAY);
    await createApplyRetention({
      store,
      clock: createManualScheduler(NOW),
      retentionDays: 90,
      log: createMemoryLog(),
    })(new AbortController().signal);
    expect(await store.readDeployLog(1, 0, 10)).toEqual([]);
    expect(await store.readDeployLog(2, 0, 10)).toEqual([{ seq: 1, text: 'recent' }]);
  });
});

import { type KnownStatus, mergeKnownStatus } from '../../../src/core/known-status.js';
import type { Lock } from '../../../src/core/lock-policy.js';
import type { Announcement } from '../../../src/core/ports/announcement-store.js';
import type { Confirmation } from '../../../src/core/ports/confirmation-store.js';
import type { StoredDelivery } from '../../../src/core/ports/delivery-store.js';
import type { DeployJob } from '../../../src/core/ports/deploy-job-store.js';
import type { Lease } from '../../../src/core/ports/lease-store.js';
import type { LockWait } from '../../../src/core/ports/lock-wait-store.js';
import type { PendingDeploy } from '../../../src/core/ports/pending-deploy-store.js';
import { repoKey } from '../../../src/core/repo-key.js';
import type { Store } from '../../../src/store/store.js';

type DeliveryRow = StoredDelivery & {
  /** The order it was stored in, as the SQL stores count it. */
  seq: number;
  state: 'pending' | 'done' | 'failed';
  nextAttemptAt: number;
  lease?: { owner: string; expiresAt: number } | undefined;
};

const isEmptyRecord = (payload: unknown) =>
  payload === null ||
  (typeof payload === 'object' && !Array.isArray(payload) && Object.keys(payload).length === 0);

const byArrival = (a: DeliveryRow, b: DeliveryRow) => a.seq - b.seq;

/** What a database gives back: a copy, never the object that was saved. */
const copy = <T>(value: T): T => structuredClone(value);
const laneKey = (repository: string, environment: string) => `${repoKey(repository)}\n${environment}`;

/**
 * Every store port in memory, for use-case tests: no database, no I/O. It keeps the SQL
 * store's contract (test/store runs the same suites against it): conditional writes win once,
 * lists keep their order, saved values come back as copies.
 */
export function createMemoryStore(): Store {
  const deliveries = new Map<string, DeliveryRow>();
  const announcements = new Map<number, Announcement>();
  /** Announced status id → when it was recorded. */
  const announced = new Map<number, number>();
  /** Deployment id → when its announcement was last saved. */
  const announcedAt = new Map<number, number>();
  const pending = new Map<string, PendingDeploy>();
  const jobs = new Map<number, DeployJob>();
  /** Who posts each owed final status now, and the jobs whose refused final status was announced. */
  const statusLeases = new Map<number, { owner: string; expiresAt: number }>();
  /** Cancels asked of running jobs, by whom: seen by their runner at its heartbeat. */
  const cancelRequests = new Map<number, string>();
  /** Keyed Slack posts begun, and when (beginChatPost). */
  const chatPosts = new Map<string, number>();
  /** Why each waiting job was told to wait (claimQueuedNotice). */
  const queuedNotices = new Map<number, 'turn' | 'lock'>();
  const warned = new Set<number>();
  const logs = new Map<number, Array<{ seq: number; text: string; at: number }>>();
  /** When the newest chunk of each deployment's log was stored. */
  const logTimes = new Map<number, number>();
  const locks = new Map<string, Lock>();
  const confirmations = new Map<string, Confirmation>();
  const waits: LockWait[] = [];
  const leases = new Map<string, Lease>();
  let stored = 0;
  const knownStatuses = new Map<number, KnownStatus>();
  const homeViewers = new Map<string, number>();

  const appendAfterLast = (id: number, text: string, at: number) => {
    const chunks = logs.get(id) ?? [];
    chunks.push({ seq: (chunks.at(-1)?.seq ?? 0) + 1, text, at });
    logs.set(id, chunks);
  };
  const updateJob = (id: number, change: Partial<DeployJob>) => {
    const job = jobs.get(id);
    if (job) jobs.set(id, { ...job, ...change });
  };
  const sameLock = (a: Lock | undefined, b: Lock) =>
    a !== undefined && a.holder === b.holder && a.lockedAt === b.lockedAt;

  return {
    async recordDelivery(d) {
      const known = deliveries.get(d.deliveryId);
      if (!known) {
        deliveries.set(d.deliveryId, {
          ...copy(d),
          seq: ++stored,
          attempts: 0,
          state: 'pending',
          nextAttemptAt: d.receivedAt,
        });
        return 'recorded';
      }
      if (known.state !== 'failed') return 'duplicate';
      deliveries.set(d.deliveryId, { ...known, state: 'pending', attempts: 0, nextAttemptAt: d.receivedAt });
      return 'retried';
    },
    async recordIgnoredDelivery(deliveryId, event, receivedAt) {
      if (deliveries.has(deliveryId)) return 'duplicate';
      const ignored = { deliveryId, event, action: undefined, partitionKey: '', payload: null, receivedAt };
      deliveries.set(deliveryId, {
        ...ignored,
        seq: ++stored,
        attempts: 0,
        state: 'done',
        nextAttemptAt: receivedAt,
      });
      return 'recorded';
    },
    async listRunnableDeliveries(now, limit, after) {
      return [...deliveries.values()]
        .filter((d) => d.state === 'pending' && d.nextAttemptAt <= now)
        .sort((a, b) => a.receivedAt - b.receivedAt || a.deliveryId.localeCompare(b.deliveryId))
        .filter(
          (d) =>
            !after ||
            d.receivedAt > after.receivedAt ||
            (d.receivedAt === after.receivedAt && d.deliveryId > after.deliveryId),
        )
        .slice(0, limit)
        .map(({ state: _s, nextAttemptAt: _n, lease: _l, ...d }) => copy(d));
    },
    async claimDeliveries(owner, now, ttlMs, limit) {
      const pending = [...deliveries.values()].filter((d) => d.state === 'pending').sort(byArrival);
      const heads = new Map<string, DeliveryRow>();
      for (const d of pending) if (!heads.has(d.partitionKey)) heads.set(d.partitionKey, d);
      const claimed = [...heads.values()]
        .filter((d) => d.nextAttemptAt <= now && (d.lease === undefined || d.lease.expiresAt <= now))
        .sort(byArrival)
        .slice(0, limit);
      for (const d of claimed)
        deliveries.set(d.deliveryId, { ...d, lease: { owner, expiresAt: now + ttlMs } });
      return claimed.map(({ state: _s, nextAttemptAt: _n, lease: _l, ...d }) => copy(d));
    },
    async renewDeliveryLeases(owner, now, ttlMs) {
      const kept: string[] = [];
      for (const d of deliveries.values()) {
        if (d.state !== 'pending' || d.lease?.owner !== owner || d.lease.expiresAt <= now) continue;
        deliveries.set(d.deliveryId, { ...d, lease: { owner, expiresAt: now + ttlMs } });
        kept.push(d.deliveryId);
      }
      return kept;
    },
    async markDeliveryDone(id) {
      const d = deliveries.get(id);
      if (d) deliveries.set(id, { ...d, state: 'done', lease: undefined });
    },
    async scheduleDeliveryRetry(id, _error, nextAttemptAt) {
      const d = deliveries.get(id);
      if (d) deliveries.set(id, { ...d, attempts: d.attempts + 1, nextAttemptAt, lease: undefined });
    },
    async postponeDelivery(id, _error, nextAttemptAt) {
      const d = deliveries.get(id);
      if (d) deliveries.set(id, { ...d, nextAttemptAt, lease: undefined });
    },
    async markDeliveryFailed(id) {
      const d = deliveries.get(id);
      if (d) deliveries.set(id, { ...d, state: 'failed', attempts: d.attempts + 1, lease: undefined });
    },
    countDeliveries: async () => deliveries.size,

    getAnnouncement: async (id) => copy(announcements.get(id)),
    async saveAnnouncement(a, now) {
      announcedAt.set(a.deploymentId, now);
      const known = announcements.get(a.deploymentId);
      announcements.set(
        a.deploymentId,
        known ? { ...known, ...copy(a), repository: known.repository } : copy(a),
      );
    },
    hasAnnouncedStatus: async (statusId) => announced.has(statusId),
    async recordAnnouncedStatus(statusId, _deploymentId, _ts, now) {
      announced.set(statusId, now);
    },

    async savePendingDeploy(p) {
      const known = pending.get(p.id);
      pending.set(
        p.id,
        known
          ? { ...known, messageTs: p.messageTs, waitingFor: [...p.waitingFor] }
          : { ...copy(p), repository: repoKey(p.repository) },
      );
    },
    async listPendingDeploys(repository, sha) {
      return [...pending.values()]
        .filter((p) => p.repository === repoKey(repository) && p.sha === sha)
        .sort((a, b) => a.createdAt - b.createdAt)
        .map(copy);
    },
    async listAllPendingDeploys(limit) {
      return [...pending.values()]
        .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
        .slice(0, limit)
        .map(copy);
    },
    async listPendingDeploysTo(repository, environment) {
      return [...pending.values()]
        .filter((p) => p.repository === repoKey(repository) && p.environment === environment)
        .sort((a, b) => a.createdAt - b.createdAt)
        .map(copy);
    },
    async removePendingDeploy(id) {
      pending.delete(id);
    },

    async recordDeployJob(job, refusal, note) {
      if (jobs.has(job.deploymentId)) return 'duplicate';
      jobs.set(job.deploymentId, {
        ...copy(job),
        state: refusal ? 'finished' : 'queued',
        startedAt: undefined,
        finishedAt: refusal ? job.enqueuedAt : undefined,
        runner: undefined,
        pid: undefined,
        workDir: undefined,
        outcome: refusal && copy(refusal),
        postedState: undefined,
        finalStatus: refusal ? 'owed' : undefined,
        leaseExpiresAt: undefined,
      });
      if (refusal && note !== undefined) appendAfterLast(job.deploymentId, note, job.enqueuedAt);
      return 'recorded';
    },
    getDeployJob: async (id) => copy(jobs.get(id)),
    async listUnfinishedDeployJobs(limit) {
      return [...jobs.values()]
        .filter((j) => j.state !== 'finished')
        .sort((a, b) => a.enqueuedAt - b.enqueuedAt || a.deploymentId - b.deploymentId)
        .slice(0, limit)
        .map(copy);
    },
    async listDeployJobsOwingFinalStatus(limit) {
      return [...jobs.values()]
        .filter((j) => j.finalStatus === 'owed')
        .sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0) || a.deploymentId - b.deploymentId)
        .slice(0, limit)
        .map(copy);
    },
    async fillDeployJobDetails(id, details) {
      const job = jobs.get(id);
      if (job && job.payload === undefined) {
        updateJob(id, {
          task: details.task,
          creator: details.creator,
          payload: copy(details.payload ?? null),
        });
      }
    },
    async claimDeployJob(id, lane, runner, now, leaseMs) {
      const job = jobs.get(id);
      if (job?.state !== 'queued') return false;
      if ([...jobs.values()].some((j) => j.lane === lane && j.state === 'running')) return false;
      updateJob(id, {
        state: 'running',
        startedAt: now,
        runner,
        leaseExpiresAt: leaseMs === undefined ? undefined : now + leaseMs,
      });
      return true;
    },
    async renewDeployJobLeases(runner, now, ttlMs) {
      const held = [...jobs.values()].filter((j) => j.state === 'running' && j.runner === runner);
      for (const j of held) updateJob(j.deploymentId, { leaseExpiresAt: now + ttlMs });
      return held.map((j) => j.deploymentId);
    },
    async requestDeployJobCancel(id, by) {
      if (jobs.get(id)?.state !== 'running') return false;
      cancelRequests.set(id, by);
      return true;
    },
    async listCancelRequests(runner) {
      return [...jobs.values()]
        .filter((j) => j.state === 'running' && j.runner === runner && cancelRequests.has(j.deploymentId))
        .map((j) => ({ deploymentId: j.deploymentId, by: cancelRequests.get(j.deploymentId) ?? 'someone' }));
    },
    async takeOverDeployJob(id, held, runner, now, ttlMs) {
      const job = jobs.get(id);
      if (job?.state !== 'running' || job.runner !== held.runner) return false;
      if (job.leaseExpiresAt !== held.leaseExpiresAt) return false;
      updateJob(id, { runner, leaseExpiresAt: now + ttlMs });
      return true;
    },
    async claimFinalDeployStatus(id, owner, now, until) {
      if (jobs.get(id)?.finalStatus !== 'owed') return false;
      const held = statusLeases.get(id);
      if (held && held.expiresAt > now && held.owner !== owner) return false;
      statusLeases.set(id, { owner, expiresAt: until });
      return true;
    },
    async recordFinalStatusWarned(id) {
      if (!jobs.has(id) || warned.has(id)) return false;
      warned.add(id);
      return true;
    },
    async recordDeployJobPid(id, pid) {
      updateJob(id, { pid });
    },
    async recordDeployJobWorkDir(id, workDir) {
      updateJob(id, { workDir });
    },
    async finishDeployJob(id, from, outcome, now, note) {
      if (jobs.get(id)?.state !== from) return false;
      updateJob(id, {
        state: 'finished',
        finishedAt: now,
        outcome: copy(outcome),
        finalStatus: 'owed',
        leaseExpiresAt: undefined,
      });
      if (note !== undefined) appendAfterLast(id, note, now);
      return true;
    },
    async requeueDeployJob(id) {
      if (jobs.get(id)?.state !== 'running') return false;
      updateJob(id, {
        state: 'queued',
        startedAt: undefined,
        runner: undefined,
        pid: undefined,
        workDir: undefined,
        leaseExpiresAt: undefined,
      });
      return true;
    },
    async claimQueuedNotice(id, why) {
      if (jobs.get(id)?.state !== 'queued') return false;
      const told = queuedNotices.get(id);
      if (told === undefined) {
        queuedNotices.set(id, why);
        return 'first';
      }
      if (why === 'lock' && told === 'turn') {
        queuedNotices.set(id, why);
        return 'again';
      }
      return false;
    },
    async beginChatPost(key, now) {
      const begun = chatPosts.get(key);
      if (begun === undefined) chatPosts.set(key, now);
      return begun;
    },
    async recordPostedDeployStatus(id, state) {
      updateJob(id, { postedState: state });
    },
    async settleFinalDeployStatus(id, result) {
      updateJob(id, { finalStatus: result });
    },

    async appendDeployLog(id, seq, text, now) {
      const chunks = logs.get(id) ?? [];
      if (chunks.some((c) => c.seq === seq)) throw new Error(`log chunk ${seq} of ${id} exists already`);
      chunks.push({ seq, text, at: now });
      logTimes.set(id, Math.max(logTimes.get(id) ?? now, now));
      chunks.sort((a, b) => a.seq - b.seq);
      logs.set(id, chunks);
    },
    async readDeployLog(id, afterSeq, limit) {
      return (logs.get(id) ?? [])
        .filter((c) => c.seq > afterSeq)
        .slice(0, limit)
        .map(({ seq, text }) => ({ seq, text }));
    },
    lastDeployLogSeq: async (id) => logs.get(id)?.at(-1)?.seq ?? 0,
    lastDeployLogAt: async (id) => logTimes.get(id),

    getLock: async (repository, environment) => copy(locks.get(laneKey(repository, environment))),
    async listLocks(repository) {
      return [...locks.values()].filter((l) => l.repository === repoKey(repository)).map(copy);
    },
    async replaceLock(next, expected) {
      const key = laneKey(next.repository, next.environment);
      const held = locks.get(key);
      if (expected === undefined ? held !== undefined : !sameLock(held, expected)) return false;
      locks.set(key, { ...copy(next), repository: repoKey(next.repository) });
      return true;
    },
    async removeLock(lock) {
      const key = laneKey(lock.repository, lock.environment);
      if (!sameLock(locks.get(key), lock)) return false;
      locks.delete(key);
      return true;
    },
    async listExpiredLocks(now) {
      return [...locks.values()].filter((l) => l.expiresAt !== undefined && l.expiresAt <= now).map(copy);
    },

    async saveConfirmation(c) {
      if (confirmations.has(c.id)) throw new Error(`confirmation ${c.id} exists already`);
      confirmations.set(c.id, { ...copy(c), state: 'open' });
    },
    getConfirmation: async (id) => copy(confirmations.get(id)),
    async decideConfirmation(id, state) {
      const c = confirmations.get(id);
      if (c?.state !== 'open') return false;
      confirmations.set(id, { ...c, state });
      return true;
    },

    async saveLockWait(w) {
      waits.push({ ...copy(w), repository: repoKey(w.repository) });
    },
    async listLockWaits(repository, environment) {
      return waits
        .filter((w) => laneKey(w.repository, w.environment) === laneKey(repository, environment))
        .map(copy);
    },
    async removeLockWait(id) {
      const at = waits.findIndex((w) => w.id === id);
      if (at < 0) return false;
      waits.splice(at, 1);
      return true;
    },
    async listLockWaitTargets() {
      const seen = new Map<string, { repository: string; environment: string }>();
      for (const w of waits)
        seen.set(laneKey(w.repository, w.environment), {
          repository: w.repository,
          environment: w.environment,
        });
      return [...seen.values()];
    },

    async acquireLease(key, owner, now, ttlMs) {
      const held = leases.get(key);
      if (held && held.owner !== owner && held.expiresAt > now) return false;
      leases.set(key, { key, owner, expiresAt: now + ttlMs });
      return true;
    },
    async renewLeases(owner, now, ttlMs) {
      const kept: string[] = [];
      for (const lease of leases.values()) {
        if (lease.owner !== owner || lease.expiresAt <= now) continue;
        leases.set(lease.key, { ...lease, expiresAt: now + ttlMs });
        kept.push(lease.key);
      }
      return kept;
    },
    async releaseLease(key, owner) {
      if (leases.get(key)?.owner === owner) leases.delete(key);
    },
    getLease: async (key) => copy(leases.get(key)),
    async rememberStatuses(statuses) {
      for (const status of statuses)
        knownStatuses.set(
          status.deploymentId,
          mergeKnownStatus(knownStatuses.get(status.deploymentId), copy(status)),
        );
    },
    async getKnownStatuses(ids) {
      const known = new Map<number, KnownStatus>();
      for (const id of ids) {
        const status = knownStatuses.get(id);
        if (status) known.set(id, copy(status));
      }
      return known;
    },

    async dropDeliveryPayloads(before, limit) {
      const due = [...deliveries.values()]
        .filter((d) => d.state !== 'pending' && d.receivedAt < before && !isEmptyRecord(d.payload))
        .slice(0, limit);
      for (const d of due) deliveries.set(d.deliveryId, { ...d, payload: {} });
      return due.length;
    },
    async deleteDeliveries(before, limit) {
      const due = [...deliveries.values()]
        .filter((d) => d.state !== 'pending' && d.receivedAt < before)
        .slice(0, limit);
      for (const d of due) deliveries.delete(d.deliveryId);
      return due.length;
    },
    async deleteFinishedDeployJobs(before, limit) {
      const due = [...jobs.values()]
        .filter(
          (j) =>
            j.state === 'finished' &&
            (j.finishedAt ?? before) < before &&
            (j.finalStatus === 'posted' || j.finalStatus === 'abandoned'),
        )
        .slice(0, limit);
      for (const j of due) jobs.delete(j.deploymentId);
      return due.length;
    },
    async deleteAnnouncements(before, limit) {
      const due = [...announcements.values()].filter((a) => (announcedAt.get(a.deploymentId) ?? 0) < before);
      const gone = due.slice(0, limit);
      for (const a of gone) announcements.delete(a.deploymentId);
      const statuses = [...announced.entries()].filter(([, at]) => at < before).slice(0, limit);
      for (const [id] of statuses) announced.delete(id);
      const posts = [...chatPosts.entries()].filter(([, at]) => at < before).slice(0, limit);
      for (const [key] of posts) chatPosts.delete(key);
      return gone.length + statuses.length + posts.length;
    },
    async deleteKnownStatuses(before, limit) {
      const gone = [...knownStatuses.values()].filter((s) => s.createdAt < before).slice(0, limit);
      for (const s of gone) knownStatuses.delete(s.deploymentId);
      return gone.length;
    },
    async deleteDeployLogs(before, limit) {
      let left = limit;
      for (const [id, chunks] of logs) {
        const kept = chunks.filter((c) => !(c.at < before && left-- > 0));
        if (kept.length === 0) logs.delete(id);
        else logs.set(id, kept);
        if (left <= 0) break;
      }
      return limit - Math.max(0, left);
    },

    async recordHomeViewer(userId, openedAt) {
      homeViewers.set(userId, Math.max(openedAt, homeViewers.get(userId) ?? openedAt));
    },
    async listHomeViewers(since) {
      return [...homeViewers]
        .filter(([, openedAt]) => openedAt >= since)
        .map(([userId, openedAt]) => ({ userId, openedAt }))
        .sort((a, b) => a.openedAt - b.openedAt || a.userId.localeCompare(b.userId));
    },
    async forgetHomeViewers(before) {
      let forgotten = 0;
      for (const [userId, openedAt] of homeViewers) {
        if (openedAt >= before) continue;
        homeViewers.delete(userId);
        forgotten += 1;
      }
      return forgotten;
    },

    ping: async () => undefined,
    close: async () => undefined,
  };
}

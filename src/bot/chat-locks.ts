import {
  renderLockExpired,
  renderLocked,
  renderLockStolen,
  renderNotLocked,
  renderRefusal,
  renderStealPrompt,
  renderUnlocked,
} from '../core/command-replies.js';
import { renderConfirmationCancelled, renderConfirmationExpired } from '../core/command-replies-confirm.js';
import type { Config, EnvironmentConfig, RepoConfig } from '../core/config.js';
import { channelFor, findEnvironment, findRepo } from '../core/config-lookup.js';
import { activeLock, createLock, decideLock, decideUnlock, type Lock } from '../core/lock-policy.js';
import {
  CONFIRMATION_TTL_MS,
  canPressConfirmation,
  canStealLock,
  checkDeployPermission,
  confirmationExpired,
} from '../core/policy.js';
import type { ConfirmationStore } from '../core/ports/confirmation-store.js';
import type { LockStore } from '../core/ports/lock-store.js';
import type { LockWaitStore } from '../core/ports/lock-wait-store.js';
import type { Announcer } from '../core/ports.js';
import type { Clock } from '../core/scheduler.js';
import type { Logger } from '../logger.js';
import type { Replier } from './replies.js';
import type { UserGroupResolver } from './user-groups.js';

export interface ChatLocksOptions {
  readonly config: Config;
  readonly store: LockStore & ConfirmationStore & LockWaitStore;
  readonly groups: UserGroupResolver;
  readonly announcer: Announcer;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: Logger;
  /** A lock went away: merged-PR deploys that waited for it go out now, in order. */
  readonly onUnlocked: (repository: string, environment: string) => Promise<void>;
}

export interface LockAsk {
  readonly repo: RepoConfig;
  readonly environment: EnvironmentConfig;
  readonly userId: string;
  readonly reason?: string;
  readonly durationMs?: number;
  readonly steal: boolean;
}

const LOCK_CHANGED = { text: 'Someone changed that lock a moment ago; look with `where` and try again.' };

interface StealRequest {
  readonly lock: Lock;
  readonly previous: Lock;
}

export function createChatLocks(options: ChatLocksOptions) {
  const { store, clock, logger } = options;

  const askerOf = options.groups.askerFor;

  async function lock(ask: LockAsk, reply: Replier): Promise<void> {
    const now = clock.now();
    const existing = await store.getLock(ask.repo.fullName, ask.environment.name);
    const asker = await askerOf(ask.environment, ask.userId);
    // Locking keeps others out, so only those who may deploy there may lock it.
    const permission = checkDeployPermission(asker);
    if (!permission.allowed) return reply.private(renderRefusal({ reason: permission.reason }));
    const decision = decideLock(existing, { ...asker, steal: ask.steal, now });
    const next = createLock({
      repository: ask.repo.fullName,
      environment: ask.environment.name,
      holder: ask.userId,
      ...(ask.reason === undefined ? {} : { reason: ask.reason }),
      ...(ask.durationMs === undefined ? {} : { durationMs: ask.durationMs }),
      now,
    });
    switch (decision.action) {
      case 'refuse':
        return reply.private(renderRefusal({ reason: decision.reason }));
      case 'lock':
      case 'relock':
        if (!(await store.replaceLock(next, existing))) return reply.private(LOCK_CHANGED);
        logger.info(
          { repository: next.repository, environment: next.environment, holder: next.holder },
          'locked',
        );
        return reply.public(renderLocked(next, { updated: decision.action === 'relock' }));
      case 'steal': {
        const id = options.newId();
        const request: StealRequest = { lock: next, previous: decision.existing };
        await store.saveConfirmation({
          id,
          kind: 'steal',
          userId: ask.userId,
          channel: channelFor(options.config, ask.repo.fullName),
          request,
          createdAt: now,
          expiresAt: now + CONFIRMATION_TTL_MS,
        });
        return reply.private(renderStealPrompt({ id, existing: decision.existing, now }));
      }
    }
  }

  async function pressSteal(
    id: string,
    userId: string,
    action: 'confirm' | 'cancel',
    replies: { readonly prompt: Replier; readonly fresh: Replier },
  ): Promise<void> {
    const confirmation = await store.getConfirmation(id);
    if (confirmation === undefined || confirmation.kind !== 'steal')
      return replies.fresh.private(renderConfirmationExpired());
    const allowed = canPressConfirmation(confirmation, userId);
    if (!allowed.allowed) return replies.fresh.private(renderRefusal({ reason: allowed.reason }));
    const now = clock.now();
    if (confirmation.state === 'open' && confirmationExpired(confirmation.createdAt, now)) {
      await store.decideConfirmation(id, 'cancelled', userId, now);
      return replies.prompt.private(renderConfirmationExpired());
    }
    const decided =
      confirmation.state === 'open' &&
      (await store.decideConfirmation(id, action === 'cancel' ? 'cancelled' : 'done', userId, now));
    if (!decided) return replies.fresh.private({ text: 'This was already answered; nothing more to do.' });
    if (action === 'cancel') return replies.prompt.private(renderConfirmationCancelled());

    const { lock: wanted, previous } = confirmation.request as StealRequest;
    const environment = environmentOf(wanted);
    if (environment === undefined) return replies.prompt.private(renderConfirmationExpired());
    const permission = canStealLock(await askerOf(environment, userId));
    if (!permission.allowed) return replies.prompt.private(renderRefusal({ reason: permission.reason }));
    const taken = {
      ...wanted,
      lockedAt: now,
      ...(wanted.expiresAt === undefined ? {} : { expiresAt: now + (wanted.expiresAt - wanted.lockedAt) }),
    };
    if (!(await store.replaceLock(taken, previous))) return replies.prompt.private(LOCK_CHANGED);
    logger.info(
      { repository: taken.repository, environment: taken.environment, from: previous.holder },
      'lock taken over',
    );
    await replies.prompt.private(renderLocked(taken));
    await replies.fresh.public(renderLockStolen({ lock: taken, previousHolder: previous.holder }));
  }

  async function unlock(ask: Omit<LockAsk, 'steal'>, reply: Replier): Promise<void> {
    const existing = await store.getLock(ask.repo.fullName, ask.environment.name);
    const asker = await askerOf(ask.environment, ask.userId);
    const decision = decideUnlock(existing, { ...asker, now: clock.now() });
    switch (decision.action) {
      case 'not_locked':
        return reply.private(renderNotLocked(ask.repo.fullName, ask.environment.name));
      case 'refuse':
        return reply.private(renderRefusal({ reason: decision.reason }));
      case 'unlock':
        if (await store.removeLock(decision.existing)) {
          logger.info({ repository: ask.repo.fullName, environment: ask.environment.name }, 'unlocked');
          await reply.public(renderUnlocked(decision.existing, ask.userId));
          // Waiting deploys go out now; whatever fails here, the lock sweep sends later.
          await options
            .onUnlocked(ask.repo.fullName, ask.environment.name)
            .catch((error: unknown) =>
              logger.warn({ err: error }, 'waiting deploys not sent yet; will retry'),
            );
        } else {
          await reply.private(renderNotLocked(ask.repo.fullName, ask.environment.name));
        }
    }
  }

  /**
   * Locks past their expiry lapse by themselves, announced in the repository's channel; then
   * deploys still waiting where no lock holds (their release failed, or the lock lapsed) go out.
   */
  async function expireLocks(): Promise<void> {
    for (const expired of await store.listExpiredLocks(clock.now())) {
      if (!(await store.removeLock(expired))) continue;
      logger.info({ repository: expired.repository, environment: expired.environment }, 'lock expired');
      const repo = findRepo(options.config, expired.repository);
      const shown = repo ? { ...expired, repository: repo.fullName } : expired;
      await options.announcer
        .postMessage(channelFor(options.config, shown.repository), renderLockExpired(shown))
        .catch((error: unknown) => logger.warn({ err: error }, 'could not announce an expired lock'));
    }
    for (const target of await store.listLockWaitTargets()) {
      if (activeLock(await store.getLock(target.repository, target.environment), clock.now())) continue;
      await options
        .onUnlocked(target.repository, target.environment)
        .catch((error: unknown) =>
          logger.warn({ err: error, ...target }, 'waiting deploys not sent yet; will retry'),
        );
    }
  }

  function environmentOf(l: Lock): EnvironmentConfig | undefined {
    const repo = findRepo(options.config, l.repository);
    return repo ? findEnvironment(repo, l.environment) : undefined;
  }

  return { lock, unlock, pressSteal, expireLocks };
}

export type ChatLocks = ReturnType<typeof createChatLocks>;

import type { ChatAsker } from '../core/chat-deploy.js';
import {
  renderLockChanged,
  renderLocked,
  renderRefusal,
  renderStealPrompt,
} from '../core/command-replies.js';
import type { Config, EnvironmentConfig, RepoConfig } from '../core/config.js';
import { channelFor } from '../core/config-lookup.js';
import type { Lock } from '../core/lock.js';
import { createLock } from '../core/lock.js';
import { decideLock, type LockTakeover } from '../core/lock-policy.js';
import { checkDeployPermission } from '../core/policy.js';
import type { ChatPort, Replier } from '../core/ports/chat.js';
import type { ConfirmationStore } from '../core/ports/confirmation-store.js';
import type { LockStore } from '../core/ports/lock-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { Clock } from '../core/scheduler.js';
import { askerFor } from './asker-for.js';
import { openConfirmation } from './open-confirmation.js';

export interface LockEnvironmentOptions {
  readonly config: Config;
  readonly chat: ChatPort;
  readonly store: LockStore & ConfirmationStore;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly log: LogPort;
  /** Told of every lock taken, so its expiry is watched (see watch-lock-expiry.ts). */
  readonly onLocked?: (lock: Lock) => void;
}

export interface LockRequest {
  readonly repo: RepoConfig;
  readonly environment: EnvironmentConfig;
  readonly reason?: string;
  readonly durationMs?: number;
  /** `lock …!`: take it over from someone else (admins, after confirming). */
  readonly steal: boolean;
}

export type LockEnvironment = (
  request: LockRequest,
  asker: Pick<ChatAsker, 'userId'>,
  reply: Replier,
) => Promise<void>;

/** `lock ENV on REPO`: keeps others from deploying there until unlocked or expired. */
export function createLockEnvironment(options: LockEnvironmentOptions): LockEnvironment {
  const { store, clock, log } = options;
  return async (request, { userId }, reply) => {
    const now = clock.now();
    const { repo, environment } = request;
    const existing = await store.getLock(repo.fullName, environment.name);
    const asker = await askerFor(options.chat, environment, userId);
    // Locking keeps others out, so only those who may deploy there may lock it.
    const permission = checkDeployPermission(asker);
    if (!permission.allowed) return reply.private(renderRefusal(permission));
    const decision = decideLock(existing, { ...asker, steal: request.steal, now });
    const next = createLock({
      repository: repo.fullName,
      environment: environment.name,
      holder: userId,
      ...(request.reason === undefined ? {} : { reason: request.reason }),
      ...(request.durationMs === undefined ? {} : { durationMs: request.durationMs }),
      now,
    });
    switch (decision.action) {
      case 'refuse':
        return reply.private(renderRefusal(decision));
      case 'lock':
      case 'relock':
        if (!(await store.replaceLock(next, existing))) return reply.private(renderLockChanged());
        options.onLocked?.(next);
        log.info(
          { repository: next.repository, environment: next.environment, holder: next.holder },
          'locked',
        );
        return reply.public(renderLocked(next, { updated: decision.action === 'relock' }));
      case 'steal': {
        const takeover: LockTakeover = { lock: next, previous: decision.existing };
        const id = await openConfirmation(options, {
          kind: 'steal',
          userId,
          channel: channelFor(options.config, repo.fullName),
          request: takeover,
        });
        return reply.private(renderStealPrompt({ id, existing: decision.existing, now }));
      }
    }
  };
}

import type { ChatAsker } from '../core/chat-deploy.js';
import { renderNotLocked, renderRefusal, renderUnlocked } from '../core/command-replies.js';
import type { EnvironmentConfig, RepoConfig } from '../core/config.js';
import { decideUnlock } from '../core/lock-policy.js';
import type { ChatPort, Replier } from '../core/ports/chat.js';
import type { LockStore } from '../core/ports/lock-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { Clock } from '../core/scheduler.js';
import { askerFor } from './asker-for.js';

export interface UnlockEnvironmentOptions {
  readonly chat: ChatPort;
  readonly store: LockStore;
  readonly clock: Clock;
  readonly log: LogPort;
  /** A lock went away: merged-PR deploys that waited for it go out now, in order. */
  readonly onUnlocked: (repository: string, environment: string) => Promise<void>;
}

export type UnlockEnvironment = (
  request: { readonly repo: RepoConfig; readonly environment: EnvironmentConfig },
  asker: Pick<ChatAsker, 'userId'>,
  reply: Replier,
) => Promise<void>;

/** `unlock ENV on REPO`: by its holder or an admin; what waited for the lock goes out. */
export function createUnlockEnvironment(options: UnlockEnvironmentOptions): UnlockEnvironment {
  const { store, clock, log } = options;
  return async ({ repo, environment }, { userId }, reply) => {
    const existing = await store.getLock(repo.fullName, environment.name);
    const asker = await askerFor(options.chat, environment, userId);
    const decision = decideUnlock(existing, { ...asker, now: clock.now() });
    switch (decision.action) {
      case 'not_locked':
        return reply.private(renderNotLocked(repo.fullName, environment.name));
      case 'refuse':
        return reply.private(renderRefusal(decision));
      case 'unlock':
        // Someone else unlocked (or the lock lapsed) a moment ago: it is not locked any more.
        if (!(await store.removeLock(decision.existing))) {
          return reply.private(renderNotLocked(repo.fullName, environment.name));
        }
        log.info({ repository: repo.fullName, environment: environment.name }, 'unlocked');
        await reply.public(renderUnlocked(decision.existing, userId));
        // Waiting deploys go out now; whatever fails here, the lock sweep sends later.
        await options
          .onUnlocked(repo.fullName, environment.name)
          .catch((error: unknown) => log.warn({ err: error }, 'waiting deploys not sent yet; will retry'));
    }
  };
}

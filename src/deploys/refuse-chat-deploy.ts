import { type ChatDeployPlan, checkChatDeploy } from '../core/chat-deploy.js';
import type { EnvironmentConfig } from '../core/config.js';
import { openFreeze } from '../core/freeze.js';
import type { ChatPort } from '../core/ports/chat.js';
import type { LockStore } from '../core/ports/lock-store.js';
import type { Refusal } from '../core/refusal.js';
import type { Clock } from '../core/scheduler.js';
import { askerFor } from './asker-for.js';

/** Why a chat deploy may not go ahead now, if it may not: asked for, and again on every press. */
export async function refuseChatDeploy(
  deps: { readonly chat: ChatPort; readonly store: LockStore; readonly clock: Clock },
  plan: Pick<ChatDeployPlan, 'repository' | 'environment' | 'userId' | 'force'>,
  environment: EnvironmentConfig,
): Promise<Refusal | undefined> {
  const asker = await askerFor(deps.chat, environment, plan.userId);
  const lock = await deps.store.getLock(plan.repository, plan.environment);
  const now = deps.clock.now();
  return checkChatDeploy(asker, {
    force: plan.force,
    lock,
    now,
    freeze: openFreeze(environment.freeze, now),
  });
}

import type { WebClient } from '@slack/web-api';
import type { ChatDeployPlan } from '../core/chat-deploy.js';
import { renderRefusal } from '../core/command-replies.js';
import { renderConfirmationCancelled, renderConfirmationExpired } from '../core/command-replies-confirm.js';
import type { Config, EnvironmentConfig, RepoConfig } from '../core/config.js';
import { findEnvironment, findRepo } from '../core/config-lookup.js';
import { DeploybotError } from '../core/errors.js';
import { escapeMrkdwn } from '../core/message.js';
import { canApprove, canPressConfirmation, confirmationExpired, mention } from '../core/policy.js';
import type { ConfirmationStore } from '../core/ports/confirmation-store.js';
import type { Clock } from '../core/scheduler.js';
import { type ChatDeploys, note } from './chat-deploys.js';
import { createMessageReplier, type Replier } from './replies.js';

export interface ConfirmationPressOptions {
  readonly config: Config;
  readonly store: ConfirmationStore;
  readonly clock: Clock;
  readonly deploys: ChatDeploys;
  readonly client: WebClient;
}

/** The buttons of a chat deploy: Deploy, Deploy anyway, Cancel and Approve. */
export function createConfirmationPresses(options: ConfirmationPressOptions) {
  const { config, store, clock, deploys } = options;
  const { refusal, proceed, askerOf } = deploys;

  function resolvePlan(
    plan: ChatDeployPlan,
  ): { repo: RepoConfig; environment: EnvironmentConfig } | undefined {
    const repo = findRepo(config, plan.repository);
    const environment = repo && findEnvironment(repo, plan.environment);
    return repo && environment ? { repo, environment } : undefined;
  }

  /**
   * A button press on a pending confirmation: Deploy, Deploy anyway, Cancel or Approve.
   * `prompt` answers in place of the message with the button; `fresh` answers anew.
   */
  async function press(
    id: string,
    userId: string,
    action: 'confirm' | 'cancel' | 'approve',
    replies: { readonly prompt: Replier; readonly fresh: Replier },
  ): Promise<void> {
    const { prompt, fresh } = replies;
    const confirmation = await store.getConfirmation(id);
    if (confirmation === undefined) return fresh.private(renderConfirmationExpired());
    const plan = confirmation.request as ChatDeployPlan;
    const resolved = resolvePlan(plan);
    if (resolved === undefined) {
      throw new DeploybotError(
        'unknown_environment',
        `${plan.repository} ${plan.environment} is no longer configured.`,
      );
    }
    const { environment } = resolved;
    const allowed =
      action === 'approve'
        ? canApprove({
            approverId: userId,
            requesterId: plan.userId,
            environment,
            approverGroups: (await askerOf(environment, userId)).userGroups,
          })
        : canPressConfirmation(confirmation, userId);
    if (!allowed.allowed) return fresh.private(renderRefusal({ reason: allowed.reason }));
    const now = clock.now();
    const expired =
      action === 'approve' ? now >= confirmation.expiresAt : confirmationExpired(confirmation.createdAt, now);
    if (confirmation.state === 'open' && expired) {
      await store.decideConfirmation(id, 'cancelled', userId, now);
      return prompt.private(renderConfirmationExpired());
    }
    // Only one press ever wins, however often or by however many people it is pressed.
    const decided =
      confirmation.state === 'open' &&
      (await store.decideConfirmation(id, action === 'cancel' ? 'cancelled' : 'done', userId, now));
    if (!decided) return fresh.private(note('This was already answered; nothing more to do.'));
    if (action === 'cancel') return prompt.private(renderConfirmationCancelled());

    const next: ChatDeployPlan =
      action === 'approve'
        ? { ...plan, approvedBy: [...plan.approvedBy, userId] }
        : { ...plan, confirmed: plan.confirmed || confirmation.kind === 'deploy' };
    const refused = await refusal(next, environment);
    if (refused !== undefined) return prompt.private(renderRefusal({ reason: refused }));
    if (action === 'approve') {
      await prompt.public(
        note(
          `:white_check_mark: ${mention(userId)} approved ${mention(plan.userId)}'s deploy of *${escapeMrkdwn(plan.repository)}* \`${escapeMrkdwn(plan.ref)}\` to *${escapeMrkdwn(plan.environment)}*.`,
        ),
      );
      // The outcome is the asker's to see (and a "Deploy anyway" theirs to press), not the approver's.
      const asker = createMessageReplier(options.client, {
        channel: plan.channel,
        user: plan.userId,
        ...(plan.threadTs === undefined ? {} : { threadTs: plan.threadTs }),
      });
      return proceed(next, environment, asker);
    }
    return proceed(next, environment, prompt);
  }

  return { press };
}

export type ConfirmationPresses = ReturnType<typeof createConfirmationPresses>;

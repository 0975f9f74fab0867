import { type ChatDeployPlan, findTarget } from '../core/chat-deploy.js';
import type { Config, EnvironmentConfig } from '../core/config.js';
import { DeploybotError } from '../core/errors.js';
import type { ConfirmationKind } from '../core/policy.js';
import type { Confirmation } from '../core/ports/confirmation-store.js';

/** The confirmations a chat deploy's buttons answer. */
export const DEPLOY_CONFIRMATION_KINDS: readonly ConfirmationKind[] = ['deploy', 'force', 'approval'];

/** The plan a deploy's button waits on, with its environment as deploybot.yml has it now. */
export function readPendingPlan(
  config: Config,
  confirmation: Confirmation,
): { readonly plan: ChatDeployPlan; readonly environment: EnvironmentConfig } {
  if (confirmation.kind === 'steal') {
    throw new DeploybotError('internal', `confirmation ${confirmation.id} is a lock take-over, not a deploy`);
  }
  const plan = confirmation.request;
  const target = findTarget(config, plan.repository, plan.environment);
  if (target === undefined) {
    throw new DeploybotError(
      'unknown_environment',
      `${plan.repository} ${plan.environment} is no longer configured.`,
    );
  }
  return { plan, environment: target.environment };
}

import { buildChatDeploymentRequest, type ChatDeployPlan } from '../core/chat-deploy.js';
import { renderDeploymentCreated, renderGitHubError } from '../core/command-replies.js';
import type { EnvironmentConfig } from '../core/config.js';
import { toDeploybotError } from '../core/errors.js';
import { canForce } from '../core/policy.js';
import type { Replier } from '../core/ports/chat.js';
import type { CreatedDeployment } from '../core/ports/github.js';
import { askerFor } from './asker-for.js';
import type { ChatDeployOptions } from './chat-deploy-options.js';
import { openConfirmation } from './open-confirmation.js';

/**
 * Whether the checks GitHub refused on were those of `plan.sha`, which "Deploy anyway" then
 * ships: a pinned request named it; a branch resolved to it both before and after the request
 * was checked at it. A branch that moved meanwhile gets no "Deploy anyway": nobody saw its checks.
 */
async function checkedWasPlanned(
  deps: ChatDeployOptions,
  plan: ChatDeployPlan,
  environment: EnvironmentConfig,
): Promise<boolean> {
  if (buildChatDeploymentRequest(plan, environment).ref === plan.sha) return true;
  try {
    return (await deps.github.resolveCommit({ owner: plan.owner, repo: plan.repo }, plan.ref)) === plan.sha;
  } catch {
    return false;
  }
}

/**
 * Creates the GitHub deployment of a plan that needs nothing more, and hands it to the
 * deployer. Failing checks come back with "Deploy anyway" for those who may force.
 */
export async function createChatDeployment(
  deps: ChatDeployOptions,
  plan: ChatDeployPlan,
  environment: EnvironmentConfig,
  answer: Pick<Replier, 'private'>,
): Promise<void> {
  let deployment: CreatedDeployment;
  try {
    deployment = await deps.github.createDeployment(buildChatDeploymentRequest(plan, environment));
  } catch (thrown) {
    const error = toDeploybotError(thrown);
    deps.log.info(
      { code: error.code, repository: plan.repository, environment: plan.environment },
      'chat deploy refused',
    );
    let forceValue: string | undefined;
    if (error.code === 'github_checks_failed' && !plan.force) {
      if (
        canForce(await askerFor(deps.chat, environment, plan.userId)).allowed &&
        (await checkedWasPlanned(deps, plan, environment))
      ) {
        const forced = { ...plan, force: true };
        forceValue = await openConfirmation(deps, {
          kind: 'force',
          userId: plan.userId,
          channel: plan.channel,
          request: forced,
        });
      }
    }
    return answer.private(
      renderGitHubError(error, {
        repository: plan.repository,
        environment: plan.environment,
        ref: plan.ref,
        ...(forceValue === undefined ? {} : { forceValue }),
      }),
    );
  }
  deps.log.info(
    { deployment: deployment.id, repository: plan.repository, environment: plan.environment },
    'chat deploy created',
  );
  await deps.onDeploymentCreated(plan.repository, deployment);
  return answer.private(
    renderDeploymentCreated({
      deploymentId: deployment.id,
      repository: plan.repository,
      ref: plan.ref,
      environment: plan.environment,
      channel: plan.channel,
    }),
  );
}

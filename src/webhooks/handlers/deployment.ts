import type { IncomingDeployment } from '../../core/deploy-intake.js';
import { deploymentEventSchema, parsePayload } from '../payloads.js';
import type { WebhookHandler } from './webhook-handler.js';

/** `deployment`: every new deployment goes to the deployer, whoever created it; it runs what is deploybot's. */
export function createDeploymentHandler(
  onDeploymentEvent: (deployment: IncomingDeployment) => Promise<void>,
): WebhookHandler {
  return async (payload) => {
    const event = parsePayload(deploymentEventSchema, payload, 'deployment');
    if (event.action !== undefined && event.action !== 'created') return;
    const { deployment, repository } = event;
    await onDeploymentEvent({
      repository: repository.full_name,
      id: deployment.id,
      sha: deployment.sha,
      ref: deployment.ref,
      environment: deployment.environment,
      task: deployment.task,
      payload: deployment.payload ?? {},
      createdAt: deployment.created_at,
      ...(deployment.creator ? { creator: deployment.creator.login } : {}),
    });
  };
}

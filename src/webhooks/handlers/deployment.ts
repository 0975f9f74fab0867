import type { WebhookContext } from '../context.js';
import { deploymentEventSchema, parsePayload } from '../payloads.js';

/** Every new deployment goes to the deployer, whoever created it; it runs what is deploybot's. */
export async function handleDeployment(ctx: WebhookContext, payload: unknown): Promise<void> {
  const event = parsePayload(deploymentEventSchema, payload, 'deployment');
  if (event.action !== undefined && event.action !== 'created') return;
  const { deployment, repository } = event;
  await ctx.onDeploymentEvent({
    repository: repository.full_name,
    id: deployment.id,
    sha: deployment.sha,
    ref: deployment.ref,
    environment: deployment.environment,
    task: deployment.task,
    payload: deployment.payload ?? {},
    ...(deployment.creator ? { creator: deployment.creator.login } : {}),
  });
}

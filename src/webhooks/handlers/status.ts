import type { WebhookContext } from '../context.js';
import { retryPendingDeploys } from '../merge-deploys.js';
import { parsePayload, statusEventSchema } from '../payloads.js';

/** A commit status that settled may release deploys waiting for CI on that commit. */
export async function handleStatus(ctx: WebhookContext, payload: unknown): Promise<void> {
  const event = parsePayload(statusEventSchema, payload, 'status');
  if (event.state === 'pending') return;
  const { full_name: repository } = event.repository;
  await retryPendingDeploys(ctx, repository, `${ctx.githubWebUrl}/${repository}`, event.sha);
}

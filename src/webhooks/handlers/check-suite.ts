import type { WebhookContext } from '../context.js';
import { retryPendingDeploys } from '../merge-deploys.js';
import { checkSuiteEventSchema, parsePayload } from '../payloads.js';

/** A completed check suite may release deploys waiting for CI on its head commit. */
export async function handleCheckSuite(ctx: WebhookContext, payload: unknown): Promise<void> {
  const event = parsePayload(checkSuiteEventSchema, payload, 'check_suite');
  if (event.action !== 'completed') return;
  await retryPendingDeploys(
    ctx,
    event.repository.full_name,
    `${ctx.githubWebUrl}/${event.repository.full_name}`,
    event.check_suite.head_sha,
  );
}

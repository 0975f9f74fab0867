import type { RecheckCiWaits } from '../../deploys/recheck-ci-waits.js';
import { parsePayload, statusEventSchema } from '../payloads.js';
import type { RepositoryLinks, WebhookHandler } from './webhook-handler.js';

/** `status`: a commit status that settled may release deploys waiting for CI on that commit. */
export function createStatusHandler(recheckCiWaits: RecheckCiWaits, links: RepositoryLinks): WebhookHandler {
  return async (payload, { finalAttempt, log }) => {
    const event = parsePayload(statusEventSchema, payload, 'status');
    if (event.state === 'pending') return;
    await recheckCiWaits({
      repository: event.repository.full_name,
      repositoryUrl: links.repositoryUrl(event.repository.full_name),
      sha: event.sha,
      finalAttempt,
      log,
    });
  };
}

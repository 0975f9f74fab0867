import type { RecheckCiWaits } from '../../deploys/recheck-ci-waits.js';
import { parsePayload, statusEventSchema } from '../payloads.js';
import type { WebhookHandler } from './webhook-handler.js';

/** `status`: a commit status that settled may release deploys waiting for CI on that commit. */
export function createStatusHandler(recheckCiWaits: RecheckCiWaits): WebhookHandler {
  return async (payload, { finalAttempt, log }) => {
    const event = parsePayload(statusEventSchema, payload, 'status');
    if (event.state === 'pending') return;
    await recheckCiWaits({
      repository: event.repository.full_name,
      repositoryUrl: event.repository.html_url,
      sha: event.sha,
      finalAttempt,
      log,
    });
  };
}

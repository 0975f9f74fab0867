import type { RecheckCiWaits } from '../../deploys/recheck-ci-waits.js';
import { checkSuiteEventSchema, parsePayload } from '../payloads.js';
import type { WebhookHandler } from './webhook-handler.js';

/** `check_suite`: a completed suite may release deploys waiting for CI on its head commit. */
export function createCheckSuiteHandler(recheckCiWaits: RecheckCiWaits): WebhookHandler {
  return async (payload, { finalAttempt, log }) => {
    const event = parsePayload(checkSuiteEventSchema, payload, 'check_suite');
    if (event.action !== 'completed') return;
    await recheckCiWaits({
      repository: event.repository.full_name,
      repositoryUrl: event.repository.html_url,
      sha: event.check_suite.head_sha,
      finalAttempt,
      log,
    });
  };
}

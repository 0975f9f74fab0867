import type { RecheckCiWaits } from '../../deploys/recheck-ci-waits.js';
import { checkSuiteEventSchema, parsePayload } from '../payloads.js';
import type { RepositoryLinks, WebhookHandler } from './webhook-handler.js';

/** `check_suite`: a completed suite may release deploys waiting for CI on its head commit. */
export function createCheckSuiteHandler(
  recheckCiWaits: RecheckCiWaits,
  links: RepositoryLinks,
): WebhookHandler {
  return async (payload, { finalAttempt, log }) => {
    const event = parsePayload(checkSuiteEventSchema, payload, 'check_suite');
    if (event.action !== 'completed') return;
    await recheckCiWaits({
      repository: event.repository.full_name,
      repositoryUrl: links.repositoryUrl(event.repository.full_name),
      sha: event.check_suite.head_sha,
      finalAttempt,
      log,
    });
  };
}

import type { DeploymentStore } from './deployment-store.js';
import { describeRequest, type RequestLog, type WaitOptions } from './request-log.js';

/** Why a wait for a status timed out: the statuses the deployment has, and every request seen. */
export function explainStatusTimeout(
  seen: { readonly store: DeploymentStore; readonly log: RequestLog },
  id: number,
  state: string,
  timeoutMs: number,
  options: WaitOptions,
): string {
  const what = options.description ?? `deployment ${id} to get a "${state}" status`;
  const states = seen.store.listStatuses(id).map((status) => status.state);
  const requests = seen.log.requests.map((request) => `  ${describeRequest(request)}`).join('\n');
  return (
    `GitHub stand-in: timed out after ${timeoutMs} ms waiting for ${what}.\n` +
    `Statuses of deployment ${id}: ${states.join(', ') || '(none)'}\nRequests seen:\n${requests || '  (none)'}`
  );
}

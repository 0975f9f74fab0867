import { readPayloadObject } from './payload.js';
import type { Identity } from './policy.js';

/**
 * Whether a deployment is the asker's own: the Slack user its payload's `notify.user` names,
 * else its `deploy_user` or its GitHub creator matching who they are. One that says nothing
 * about who asked for it is someone else's.
 */
export function isOwnDeploy(
  deployment: { readonly payload: unknown; readonly creator: string | undefined },
  asker: Identity,
): boolean {
  const payload = readPayloadObject(deployment.payload);
  const notify = payload.notify;
  const notifyUser =
    typeof notify === 'object' && notify !== null && 'user' in notify ? notify.user : undefined;
  if (typeof notifyUser === 'string') return notifyUser === asker.slackUserId;
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (typeof payload.deploy_user === 'string' && same(payload.deploy_user, asker.deployUser)) return true;
  const login = asker.githubLogin;
  return deployment.creator !== undefined && login !== undefined && same(deployment.creator, login);
}

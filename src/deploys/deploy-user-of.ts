import type { ChatAsker } from '../core/chat-deploy.js';
import type { Config } from '../core/config.js';
import { identify } from '../core/policy.js';
import type { ChatPort } from '../core/ports/chat.js';

/** The payload's `deploy_user`: the GitHub login deploybot.yml maps the asker to, else their Slack handle. */
export async function deployUserOf(
  deps: { readonly config: Config; readonly chat: ChatPort },
  asker: Pick<ChatAsker, 'userId' | 'userName'>,
): Promise<string> {
  const handle = asker.userName ?? (await deps.chat.userHandle(asker.userId));
  return identify(deps.config, asker.userId, handle).deployUser;
}

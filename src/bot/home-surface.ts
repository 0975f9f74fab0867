import type { WebClient } from '@slack/web-api';
import { renderFailure, renderRefusal } from '../core/command-replies.js';
import type { Config } from '../core/config.js';
import { channelFor } from '../core/config-lookup.js';
import { presentError, toDeploybotError } from '../core/errors.js';
import type { Replier } from '../core/ports/chat.js';
import type { Logger } from '../logger.js';
import type { ChatUseCases } from './chat-use-cases.js';
import { createHomeReplier } from './home-replier.js';

/** What the Home's buttons and the modals share: where answers go, admission, failures answered. */
export interface HomeSurface {
  /** Private answers as a direct message to the user, public ones in the repository's channel. */
  replierFor(client: WebClient, userId: string, repository: string | undefined): Replier;
  /** Runs an action; whatever goes wrong is logged and answered privately, never swallowed. */
  answering(reply: Replier, what: string, run: () => Promise<void>): Promise<void>;
  /** Admitted users only, as for every command; a refusal goes to them privately. */
  admitted(userId: string, reply: Replier): Promise<boolean>;
}

export function createHomeSurface(
  chat: Pick<ChatUseCases, 'admitChatUser'>,
  context: { readonly config: Config; readonly logger: Logger },
): HomeSurface {
  const { config, logger } = context;
  return {
    replierFor: (client, userId, repository) =>
      createHomeReplier(client, { user: userId, channel: channelFor(config, repository) }),
    async answering(reply, what, run) {
      try {
        await run();
      } catch (thrown) {
        const error = toDeploybotError(thrown);
        logger[presentError(error).logLevel](
          { err: error, code: error.code, action: what },
          'home action failed',
        );
        await reply.private(renderFailure(error)).catch((e: unknown) => {
          logger.error({ err: e }, 'could not answer a home action');
        });
      }
    },
    async admitted(userId, reply) {
      const admission = await chat.admitChatUser(userId);
      if (admission.allowed) return true;
      await reply.private(renderRefusal(admission));
      return false;
    },
  };
}

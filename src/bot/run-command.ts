import type { ChatAsker } from '../core/chat-deploy.js';
import type { ParsedCommand } from '../core/command.js';
import { renderFailure, renderHelp, renderInvalid, renderRefusal } from '../core/command-replies.js';
import { presentError, toDeploybotError } from '../core/errors.js';
import type { Replier } from '../core/ports/chat.js';
import type { Logger } from '../logger.js';
import type { ChatUseCases } from './chat-use-cases.js';

/** Runs a parsed command through its use case; whatever goes wrong is answered, never swallowed. */
export async function runCommand(
  useCases: ChatUseCases,
  parsed: ParsedCommand,
  asker: ChatAsker,
  reply: Replier,
  logger: Logger,
): Promise<void> {
  try {
    const admitted = await useCases.admitChatUser(asker.userId);
    if (!admitted.allowed) {
      await reply.private(renderRefusal(admitted));
      return;
    }
    await dispatch(useCases, parsed, asker, reply);
  } catch (thrown) {
    const error = toDeploybotError(thrown);
    logger[presentError(error).logLevel](
      { err: error, code: error.code, command: parsed.kind },
      'command failed',
    );
    await reply.private(renderFailure(error)).catch((e: unknown) => {
      logger.error({ err: e }, 'could not answer a command');
    });
  }
}

function dispatch(
  useCases: ChatUseCases,
  parsed: ParsedCommand,
  asker: ChatAsker,
  reply: Replier,
): Promise<void> {
  switch (parsed.kind) {
    case 'help':
      return reply.private(renderHelp());
    case 'invalid':
      return reply.private(renderInvalid(parsed));
    case 'deploy': {
      const { repo, environment, ref, force } = parsed;
      return useCases.requestChatDeploy(
        { repo, environment, ...(ref === undefined ? {} : { ref }), force, rollback: false },
        asker,
        reply,
      );
    }
    case 'rollback':
      return useCases.requestRollback(parsed, asker, reply);
    case 'where':
      return useCases.showWhere(parsed.repo, reply);
    case 'history':
      return useCases.showHistory(parsed, reply);
    case 'lock':
      return useCases.lockEnvironment(parsed, asker, reply);
    case 'unlock':
      return useCases.unlockEnvironment(parsed, asker, reply);
    case 'cancel':
      return useCases.cancelChatDeploys(parsed, asker, reply);
  }
}

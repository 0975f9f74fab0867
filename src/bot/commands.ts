import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { type ParsedCommand, parseCommand } from '../core/command.js';
import { renderHelp, renderInvalid, renderRefusal } from '../core/command-replies.js';
import type { Config } from '../core/config.js';
import { channelFor } from '../core/config-lookup.js';
import { presentError, toDeploybotError } from '../core/errors.js';
import { escapeMrkdwn, type MessageContent } from '../core/message.js';
import { checkDeployPermission, identify } from '../core/policy.js';
import type { Logger } from '../logger.js';
import type { ChatDeploys } from './chat-deploys.js';
import type { ChatLocks } from './chat-locks.js';
import type { ChatQueries } from './chat-queries.js';
import { createMessageReplier, createResponseReplier, type Replier } from './replies.js';
import type { UserGroupResolver } from './user-groups.js';

export interface CommandDeps {
  readonly config: Config;
  readonly deploys: ChatDeploys;
  readonly locks: ChatLocks;
  readonly queries: ChatQueries;
  readonly groups: UserGroupResolver;
  /** The deployer's cancel: drops queued deploys and kills running ones there. */
  readonly cancel: (
    target: { repository: string; environment: string },
    by: string,
  ) => Promise<readonly number[]>;
  readonly logger: Logger;
}

export interface Asked {
  readonly userId: string;
  readonly userName: string;
  readonly channel: string;
  readonly threadTs?: string;
}

const WORKING: MessageContent = { text: ':hourglass_flowing_sand: Working on it…' };

/**
 * `/deploy …` and `@deploybot deploy …` do the same thing. Both are acknowledged at once,
 * inside Slack's 3 seconds, before anything waits on GitHub; the answer follows.
 */
export function registerCommands(bolt: App, deps: CommandDeps): void {
  const seenEvents = new Set<string>();

  bolt.command('/deploy', async ({ ack, command, respond }) => {
    const parsed = parseCommand(command.text, { config: deps.config });
    const immediate = immediateAnswer(parsed);
    await ack({ response_type: 'ephemeral', ...(immediate ?? WORKING) });
    if (immediate) return;
    const asked = { userId: command.user_id, userName: command.user_name, channel: command.channel_id };
    await run(deps, parsed, asked, createResponseReplier(respond, { replaceOriginal: true }));
  });

  bolt.event('app_mention', async ({ event, client, body }) => {
    // Slack redelivers an event it thinks was missed; a deploy must not run twice for it.
    const eventId = (body as { event_id?: string }).event_id;
    if (eventId !== undefined) {
      if (seenEvents.has(eventId)) return;
      seenEvents.add(eventId);
      if (seenEvents.size > 5000) seenEvents.delete(seenEvents.values().next().value as string);
    }
    // Bots (deploybot included) never command deploybot.
    if (!event.user || (event as { bot_id?: string }).bot_id) return;
    const userId = event.user;
    const text = (event.text ?? '').replace(/^\s*<@[A-Z0-9]+(\|[^>]*)?>[\s,:]*/, '');
    const threadTs = event.thread_ts ?? event.ts;
    const reply = createMessageReplier(client as WebClient, {
      channel: event.channel,
      user: userId,
      threadTs,
    });
    const parsed = parseCommand(text, { config: deps.config });
    const immediate = immediateAnswer(parsed);
    if (immediate) return reply.private(immediate);
    const asked = {
      userId,
      userName: await slackHandleOf(client as WebClient, userId),
      channel: event.channel,
      threadTs,
    };
    await run(deps, parsed, asked, reply);
  });
}

function immediateAnswer(parsed: ParsedCommand): MessageContent | undefined {
  if (parsed.kind === 'help') return renderHelp();
  if (parsed.kind === 'invalid') return renderInvalid(parsed);
  return undefined;
}

/** Runs a parsed command; whatever goes wrong is answered, never swallowed. */
export async function run(
  deps: CommandDeps,
  parsed: ParsedCommand,
  asked: Asked,
  reply: Replier,
): Promise<void> {
  try {
    await dispatch(deps, parsed, asked, reply);
  } catch (thrown) {
    const error = toDeploybotError(thrown);
    const presented = presentError(error);
    deps.logger[presented.logLevel]({ err: error, code: error.code, command: parsed.kind }, 'command failed');
    await reply.private({ text: `:warning: ${escapeMrkdwn(presented.text)}` }).catch((e: unknown) => {
      deps.logger.error({ err: e }, 'could not answer a command');
    });
  }
}

async function dispatch(
  deps: CommandDeps,
  parsed: ParsedCommand,
  asked: Asked,
  reply: Replier,
): Promise<void> {
  const identity = identify(deps.config, asked.userId, asked.userName);
  switch (parsed.kind) {
    case 'help':
      return reply.private(renderHelp());
    case 'invalid':
      return reply.private(renderInvalid(parsed));
    case 'deploy':
    case 'rollback': {
      const channel = announcementChannel(deps.config, asked.channel, parsed.repo.fullName);
      let target: { sha?: string; ref?: string } =
        parsed.kind === 'deploy' && parsed.ref ? { ref: parsed.ref } : {};
      if (parsed.kind === 'rollback') {
        const found = await deps.queries.findRollbackTarget(parsed.repo, parsed.environment);
        if ('reason' in found) return reply.private(renderRefusal({ reason: found.reason }));
        target = found;
      }
      return deps.deploys.requestDeploy(
        {
          repo: parsed.repo,
          environment: parsed.environment,
          ...target,
          force: parsed.kind === 'deploy' && parsed.force,
          rollback: parsed.kind === 'rollback',
          userId: asked.userId,
          deployUser: identity.deployUser,
          channel,
          ...(asked.threadTs === undefined ? {} : { threadTs: asked.threadTs }),
        },
        reply,
      );
    }
    case 'where':
      return deps.queries.where(parsed.repo, reply);
    case 'history':
      return deps.queries.history(parsed.repo, parsed.environment, reply);
    case 'lock':
      return deps.locks.lock(
        {
          repo: parsed.repo,
          environment: parsed.environment,
          userId: asked.userId,
          steal: parsed.steal,
          ...(parsed.reason === undefined ? {} : { reason: parsed.reason }),
          ...(parsed.durationMs === undefined ? {} : { durationMs: parsed.durationMs }),
        },
        reply,
      );
    case 'unlock':
      return deps.locks.unlock(
        { repo: parsed.repo, environment: parsed.environment, userId: asked.userId },
        reply,
      );
    case 'cancel': {
      const permission = checkDeployPermission(await deps.groups.askerFor(parsed.environment, asked.userId));
      if (!permission.allowed) return reply.private(renderRefusal({ reason: permission.reason }));
      const cancelled = await deps.cancel(
        { repository: parsed.repo.fullName, environment: parsed.environment.name },
        identity.deployUser,
      );
      const where = `*${escapeMrkdwn(parsed.environment.name)}* of *${escapeMrkdwn(parsed.repo.fullName)}*`;
      return cancelled.length === 0
        ? reply.private({ text: `Nothing is queued or running on ${where}.` })
        : reply.public({
            text: `:octagonal_sign: <@${asked.userId}> cancelled deployment ${cancelled.join(', ')} on ${where}.`,
          });
    }
  }
}

/** Announce where the command was typed; a direct message falls back to the repository's channel. */
function announcementChannel(config: Config, channel: string, repository: string): string {
  return channel.startsWith('C') || channel.startsWith('G') ? channel : channelFor(config, repository);
}

/** A mention carries only the user ID; deploy_user falls back to the Slack handle, as for slash commands. */
async function slackHandleOf(client: WebClient, userId: string): Promise<string> {
  try {
    const result = await client.users.info({ user: userId });
    return result.user?.name ?? userId;
  } catch {
    return userId;
  }
}

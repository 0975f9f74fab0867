import type { WebClient } from '@slack/web-api';
import { type ParsedCommand, parseCommand } from '../core/command.js';
import { renderHelp, renderInvalid, renderWorking } from '../core/command-replies.js';
import { describeFreezes } from '../core/freeze-text.js';
import type { MessageContent } from '../core/message.js';
import type { ChatListenerContext, ChatUseCases } from './chat-use-cases.js';
import { createMessageReplier, createResponseReplier } from './replies.js';
import { runCommand } from './run-command.js';
import type { SlackRoutes } from './slack-routes.js';

/**
 * `/deploy …` and `@deploybot deploy …` do the same thing. Both are acknowledged at once,
 * inside Slack's 3 seconds, before anything waits on GitHub; the answer follows.
 */
export function registerCommands(
  routes: SlackRoutes,
  useCases: ChatUseCases,
  context: ChatListenerContext,
): void {
  const seenEvents = new Set<string>();

  routes.bolt.command('/deploy', async ({ ack, command, respond }) => {
    const parsed = parseCommand(command.text, { config: context.config });
    const immediate = immediateAnswer(parsed, context);
    await ack({ response_type: 'ephemeral', ...(immediate ?? renderWorking()) });
    if (immediate) return;
    const asker = { userId: command.user_id, userName: command.user_name, channel: command.channel_id };
    const reply = createResponseReplier(respond, { replaceOriginal: true });
    await runCommand(useCases, parsed, asker, reply, context.logger);
  });

  routes.event('app_mention', async ({ event, client, body }) => {
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
    const parsed = parseCommand(text, { config: context.config });
    const immediate = immediateAnswer(parsed, context);
    if (immediate) return reply.private(immediate);
    // A mention carries no handle; the use case looks it up if deploy_user needs it.
    await runCommand(
      useCases,
      parsed,
      { userId, channel: event.channel, threadTs, inThread: event.thread_ts !== undefined },
      reply,
      context.logger,
    );
  });
}

function immediateAnswer(parsed: ParsedCommand, context: ChatListenerContext): MessageContent | undefined {
  if (parsed.kind === 'help')
    return renderHelp(undefined, describeFreezes(context.config, context.clock.now()));
  if (parsed.kind === 'invalid') return renderInvalid(parsed);
  return undefined;
}

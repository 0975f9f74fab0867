import type { App } from '@slack/bolt';
import { renderUsage } from '../core/usage.js';
import type { Logger } from '../logger.js';

export interface CommandDeps {
  readonly logger: Logger;
}

/** `/deploy …` and `@deploybot deploy …`: both answer at once, inside Slack's 3 seconds. */
export function registerCommands(bolt: App, deps: CommandDeps): void {
  bolt.command('/deploy', async ({ ack, command }) => {
    deps.logger.info({ user: command.user_id, channel: command.channel_id }, '/deploy received');
    await ack({ response_type: 'ephemeral', ...renderUsage() });
  });

  bolt.event('app_mention', async ({ event, say }) => {
    deps.logger.info({ user: event.user, channel: event.channel }, 'mention received');
    await say({ ...renderUsage(), ...(event.thread_ts ? { thread_ts: event.thread_ts } : {}) });
  });
}

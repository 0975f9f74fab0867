import type { App } from '@slack/bolt';
import type { ChatListenerContext, ChatUseCases } from './chat-use-cases.js';
import { registerButtons } from './register-buttons.js';
import { registerCommands } from './register-commands.js';

/** Chat deploys in Slack: `/deploy`, mentions of deploybot, and the buttons of its messages. */
export function registerChatListeners(bolt: App, useCases: ChatUseCases, context: ChatListenerContext): void {
  registerCommands(bolt, useCases, context);
  registerButtons(bolt, useCases, context.logger);
}

import type { ChatListenerContext, ChatUseCases } from './chat-use-cases.js';
import { registerButtons } from './register-buttons.js';
import { registerCommands } from './register-commands.js';
import type { SlackRoutes } from './slack-routes.js';

/** Chat deploys in Slack: `/deploy`, mentions of deploybot, and the buttons of its messages. */
export function registerChatListeners(
  routes: SlackRoutes,
  useCases: ChatUseCases,
  context: ChatListenerContext,
): void {
  registerCommands(routes, useCases, context);
  registerButtons(routes, useCases, context.logger);
}

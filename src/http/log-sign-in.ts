import { createSlackSignInClient, slackBaseOf } from '../bot/slack-sign-in-client.js';
import type { Settings } from '../config/settings.js';
import type { ChatPort } from '../core/ports/chat.js';
import type { Clock } from '../core/scheduler.js';
import { createAdmitLogReader } from '../deploys/admit-log-reader.js';
import type { Logger } from '../logger.js';
import { createSlackSignIn, type SlackSignIn } from './slack-sign-in.js';

const SLACK_API_URL = 'https://slack.com/api/';

export interface LogSignInDeps {
  readonly chat: Pick<ChatPort, 'userInfo' | 'workspaceId'>;
  readonly clock: Clock;
  readonly fetch: typeof globalThis.fetch;
  readonly logger: Logger;
}

/**
 * Sign in with Slack for the log pages, wired from the settings; undefined without
 * SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, when the link alone protects a log.
 */
export function createLogSignIn(settings: Settings, deps: LogSignInDeps): SlackSignIn | undefined {
  const credentials = settings.slack.signIn;
  if (!credentials) return undefined;
  const apiUrl = settings.slack.apiUrl ?? SLACK_API_URL;
  const slackBase = slackBaseOf(apiUrl);
  const logger = deps.logger.child({ component: 'log-sign-in' });
  return createSlackSignIn({
    publicUrl: settings.publicUrl,
    slackBase,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    admit: createAdmitLogReader({
      signIn: createSlackSignInClient({ apiUrl, ...credentials, fetch: deps.fetch }),
      chat: deps.chat,
      clock: deps.clock,
      issuer: slackBase,
      clientId: credentials.clientId,
    }),
    clock: deps.clock,
    logger,
  });
}

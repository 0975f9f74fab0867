import { App, ExpressReceiver, SocketModeReceiver } from '@slack/bolt';
import type { RetryOptions, WebClient } from '@slack/web-api';
import type { Application } from 'express';
import type { Logger } from '../logger.js';
import { createBoltLogger } from './bolt-logger.js';
import { mapSlackError } from './slack-errors.js';

export interface SlackAppOptions {
  readonly botToken: string;
  readonly signingSecret: string;
  /** With an app-level token Bolt uses Socket Mode: no public URL needed for Slack. */
  readonly appToken: string | undefined;
  readonly apiUrl: string | undefined;
  /** HTTP mode mounts POST /slack/events on this app. */
  readonly http: Application;
  readonly logger: Logger;
  readonly retryConfig: RetryOptions;
  readonly fetch: typeof globalThis.fetch;
}

export interface SlackApp {
  readonly bolt: App;
  readonly client: WebClient;
  readonly mode: 'http' | 'socket';
  /** Verifies the token (auth.test) and, in Socket Mode, connects. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createSlackApp(options: SlackAppOptions): SlackApp {
  const logger = createBoltLogger(options.logger);
  const clientOptions = {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    retryConfig: options.retryConfig,
    fetch: options.fetch,
    logger,
  };
  const socket = options.appToken !== undefined;
  const receiver = socket
    ? new SocketModeReceiver({
        appToken: options.appToken as string,
        logger,
        installerOptions: { clientOptions },
      })
    : new ExpressReceiver({
        signingSecret: options.signingSecret,
        app: options.http,
        endpoints: '/slack/events',
        // Acknowledge before the work: Slack wants an answer within 3 seconds.
        processBeforeResponse: false,
        logger,
      });
  const bolt = new App({
    token: options.botToken,
    receiver,
    deferInitialization: true,
    // deploybot keeps no conversation state in Bolt: its store would be a lookup on every request.
    convoStore: false,
    clientOptions,
    logger,
  });
  return {
    bolt,
    client: bolt.client,
    mode: socket ? 'socket' : 'http',
    async start() {
      try {
        await bolt.init();
        if (socket) await bolt.start();
      } catch (error) {
        throw mapSlackError(error);
      }
    },
    async stop() {
      if (socket) await bolt.stop();
    },
  };
}

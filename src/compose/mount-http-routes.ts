import type { Application } from 'express';
import type { Registry } from 'prom-client';
import { LOG_PAGE_PREFIX } from '../core/deploy-log-url.js';
import type { ChatPort } from '../core/ports/chat.js';
import { createLogPageRouter, type LogPageOptions } from '../http/log-page.js';
import { createLogSignIn } from '../http/log-sign-in.js';
import { finishHttpApp } from '../http/server.js';
import { SIGN_IN_PREFIX } from '../http/slack-sign-in.js';
import { createMetricsRouter } from '../metrics/metrics-router.js';
import type { AppOptions } from './app-options.js';

/** What the HTTP routes read from, built by the composition root before them. */
export interface HttpRouteParts {
  readonly store: LogPageOptions['store'];
  readonly chat: ChatPort;
  readonly registry: Registry;
}

/** Deploybot's own pages after Bolt's /slack/events: Sign in with Slack, deploy logs, metrics, then 404s. */
export function mountHttpRoutes(http: Application, options: AppOptions, parts: HttpRouteParts): void {
  const { settings, scheduler: clock, logger } = options;
  const signIn = createLogSignIn(settings, { chat: parts.chat, clock, fetch: options.fetch, logger });
  if (signIn) http.use(SIGN_IN_PREFIX, signIn.router);
  http.use(
    LOG_PAGE_PREFIX,
    createLogPageRouter({
      store: parts.store,
      clock,
      logger,
      ...(signIn ? { requireSession: signIn.requireSession } : {}),
    }),
  );
  http.use(
    '/metrics',
    createMetricsRouter({ registry: parts.registry, token: settings.metricsToken, logger }),
  );
  finishHttpApp(http, logger);
}

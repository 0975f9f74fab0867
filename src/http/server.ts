import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express, { type Application, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../logger.js';

export type HealthCheck = () => Promise<void>;

/** The one express app: deploybot's routes go on it first, Bolt's /slack/events after, then `finishHttpApp`. */
export function createHttpApp(options: {
  readonly health: HealthCheck;
  readonly logger: Logger;
}): Application {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.get('/healthz', async (_req, res) => {
    try {
      await options.health();
      res.status(200).json({ status: 'ok' });
    } catch (error) {
      options.logger.warn(
        { err: error },
        'health check failed: not started, stopping, or the store does not answer',
      );
      res.status(503).json({ status: 'unavailable' });
    }
  });
  return app;
}

/** Ends the chain: unknown routes get 404, and no error leaks a stack trace. */
export function finishHttpApp(app: Application, logger: Logger): void {
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'Not found' });
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: 'Bad request' });
      return;
    }
    logger.error({ err: error }, 'request failed');
    res.status(500).json({ error: 'Internal error' });
  });
}

/** Where GitHub posts its webhooks. */
export const WEBHOOK_PATH = '/github/webhooks';

/**
 * The server's request listener: `POST /github/webhooks`, the route under the heaviest load, goes
 * straight to its receiver on node:http; everything else to the express app.
 */
export function routeWebhooks(
  receiver: (req: IncomingMessage, res: ServerResponse) => void,
  app: Application,
): RequestListener {
  return (req, res) => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    if (req.method === 'POST' && (path === WEBHOOK_PATH || path === `${WEBHOOK_PATH}/`)) receiver(req, res);
    else app(req, res);
  };
}

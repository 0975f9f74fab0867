import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger.js';

export interface MetricsRouterOptions {
  readonly registry: Registry;
  /** METRICS_TOKEN: when set, a scrape needs `Authorization: Bearer <token>`. */
  readonly token: string | undefined;
  readonly logger: Logger;
}

/** GET /metrics: the registry in Prometheus' text format, behind the bearer token when one is set. */
export function createMetricsRouter(options: MetricsRouterOptions): Router {
  const router = express.Router();
  router.get('/', async (req: Request, res: Response) => {
    if (options.token !== undefined && !hasBearer(req.get('authorization'), options.token)) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Bearer realm="deploybot metrics"')
        .json({ error: 'Unauthorized' });
      return;
    }
    try {
      const text = await options.registry.metrics();
      res.status(200).type(options.registry.contentType).send(text);
    } catch (error) {
      options.logger.error({ err: error }, 'metrics could not be collected');
      res.status(500).json({ error: 'Internal error' });
    }
  });
  return router;
}

/** Compares digests, so neither the token's content nor its length shows in the time taken. */
function hasBearer(header: string | undefined, token: string): boolean {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match?.[1] ?? ''), digest(token)) && match !== null;
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { readDeployUser } from '../core/payload.js';
import type { DeployJob, DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { DeployLogStore } from '../core/ports/deploy-log-store.js';
import type { Clock } from '../core/scheduler.js';
import type { Logger } from '../logger.js';
import { type LogPageView, renderLogPage, renderNotFoundPage } from './log-page-html.js';

export interface LogPageOptions {
  readonly store: Pick<DeployJobStore, 'getDeployJob'> & Pick<DeployLogStore, 'readDeployLog'>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Runs before every page and log.json: Sign in with Slack when it is configured. */
  readonly requireSession?: RequestHandler;
}

// What the page itself carries; the rest, and what comes while the deploy runs, it fetches.
export const PAGE_CHUNKS = 2_000;
const JSON_CHUNKS = 500;

/**
 * The log page at a deployment status's log_url: `GET /:id/:token` (HTML) and
 * `GET /:id/:token/log.json?after=SEQ` (what the page polls while the deploy runs). An
 * unknown deployment and a wrong token get the same 404.
 */
export function createLogPageRouter(options: LogPageOptions): Router {
  const router = express.Router();
  if (options.requireSession) router.use(options.requireSession);
  const handle =
    (respond: (req: Request, res: Response, job: DeployJob) => Promise<void>) =>
    (req: Request, res: Response, next: NextFunction) => {
      setPrivateHeaders(res);
      findJob(options, req.params.id, req.params.token)
        .then((job) => {
          if (!job) {
            res.status(404).type('html').send(renderNotFoundPage());
            return;
          }
          return respond(req, res, job);
        })
        .catch(next);
    };

  router.get(
    '/:id/:token',
    handle(async (_req, res, job) => {
      const chunks = await options.store.readDeployLog(job.deploymentId, 0, PAGE_CHUNKS);
      const nonce = randomBytes(16).toString('base64');
      res.setHeader(
        'Content-Security-Policy',
        `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      );
      const view = viewOf(job, options.clock.now());
      // A full page may not be the whole log, even of a finished deploy: the page's script then
      // fetches the rest, as it does while a deploy runs, and stops once it has all of it.
      const complete = view.final && chunks.length < PAGE_CHUNKS;
      res
        .status(200)
        .type('html')
        .send(renderLogPage({ ...view, final: complete }, chunks, nonce));
    }),
  );

  router.get(
    '/:id/:token/log.json',
    handle(async (req, res, job) => {
      const after = /^\d{1,15}$/.test(String(req.query.after ?? '')) ? Number(req.query.after) : 0;
      // The job is read before its log: once it shows finished, every chunk is already stored.
      const chunks = await options.store.readDeployLog(job.deploymentId, after, JSON_CHUNKS);
      const view = viewOf(job, options.clock.now());
      res.status(200).json({
        state: view.state,
        description: view.description,
        enqueuedAt: view.enqueuedAt,
        startedAt: view.startedAt ?? null,
        finishedAt: view.finishedAt ?? null,
        now: view.now,
        final: view.final,
        chunks,
        more: chunks.length === JSON_CHUNKS,
      });
    }),
  );

  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    options.logger.error({ err: error }, 'log page failed');
    res.status(500).type('text').send('The log cannot be shown right now.');
  });
  return router;
}

async function findJob(options: LogPageOptions, id: unknown, token: unknown): Promise<DeployJob | undefined> {
  if (typeof id !== 'string' || typeof token !== 'string' || !/^\d{1,15}$/.test(id)) return undefined;
  const job = await options.store.getDeployJob(Number(id));
  return job && tokensMatch(job.logToken, token) ? job : undefined;
}

/** Constant time whatever the lengths: both sides are hashed to the same size first. */
export function tokensMatch(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

function setPrivateHeaders(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
  // The token is in the URL; a link followed from the page must not carry it elsewhere.
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
}

function viewOf(job: DeployJob, now: number): LogPageView {
  const state = job.state === 'finished' ? (job.outcome?.state ?? 'error') : job.state;
  const description = job.outcome?.description ?? (job.state === 'queued' ? 'waiting to start' : 'deploying');
  return {
    deploymentId: job.deploymentId,
    repository: job.repository,
    ref: job.ref,
    sha: job.sha,
    environment: job.environment,
    task: job.task ?? 'deploy',
    user: readDeployUser(job.payload) ?? job.creator ?? '—',
    state,
    description,
    enqueuedAt: job.enqueuedAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    now,
    final: job.state === 'finished',
  };
}

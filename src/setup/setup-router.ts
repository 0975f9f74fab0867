import { type Response, Router } from 'express';
import type { Logger } from '../logger.js';
import type { AppRegistration } from './register-app.js';
import { renderCallbackPage, renderSetupPage } from './setup-pages.js';

const one = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** `GET /setup/github` and its callback: the manifest flow's two pages. */
export function createSetupRouter(options: {
  readonly registration: AppRegistration;
  /** Where the page's form may post the manifest: GitHub's web pages. */
  readonly githubWebUrl: string;
  readonly logger: Logger;
}): Router {
  const { registration, logger } = options;
  const send = (res: Response, page: { status: number; html: string }) => {
    // The pages carry the one-time code and, once, the App's private key: kept nowhere, sent nowhere.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader(
      'Content-Security-Policy',
      `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${options.githubWebUrl}; frame-ancestors 'none'`,
    );
    res.status(page.status).type('html').send(page.html);
  };

  const router = Router();
  router.get('/github', (req, res) => {
    const page = registration.page({
      ...(one(req.query.code) === undefined ? {} : { code: one(req.query.code) as string }),
      ...(one(req.query.organization) === undefined
        ? {}
        : { organization: one(req.query.organization) as string }),
      ...(one(req.query.name) === undefined ? {} : { name: one(req.query.name) as string }),
    });
    if (page.kind === 'ask-code' && page.wrong) logger.warn('setup page opened with a wrong one-time code');
    send(res, renderSetupPage(page));
  });
  router.get('/github/callback', async (req, res) => {
    const code = one(req.query.code);
    const state = one(req.query.state);
    const result = await registration.callback({
      ...(code === undefined ? {} : { code }),
      ...(state === undefined ? {} : { state }),
    });
    if (result.kind === 'registered') {
      const { id, slug, owner } = result.app;
      logger.info({ appId: id, slug, owner, savedTo: result.savedTo }, 'GitHub App registered');
    } else if (result.kind === 'failed') {
      logger.warn({ err: result.error, code: result.error.code }, 'GitHub did not convert the App manifest');
    } else if (result.kind === 'refused') {
      logger.warn('setup callback refused: its state is not this setup’s');
    }
    send(res, renderCallbackPage(result));
  });
  return router;
}

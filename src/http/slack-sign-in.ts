import { randomBytes } from 'node:crypto';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { LOG_PAGE_PREFIX } from '../core/deploy-log-url.js';
import type { Clock } from '../core/scheduler.js';
import type { AdmitLogReader } from '../deploys/admit-log-reader.js';
import type { Logger } from '../logger.js';
import { tokensMatch } from './log-page.js';
import {
  buildSetCookie,
  type CookieSigner,
  createCookieSigner,
  createSessionSigner,
  type LogSession,
  readCookie,
  SESSION_COOKIE,
  SESSION_MS,
} from './session-cookie.js';
import { renderSignInRefusedPage } from './sign-in-html.js';

export const SIGN_IN_PREFIX = '/auth/slack';
export const CALLBACK_PATH = `${SIGN_IN_PREFIX}/callback`;
const STATE_COOKIE = 'deploybot_sign_in';
// Long enough to pick a workspace and approve; short enough that a stray state is soon useless.
const STATE_MS = 10 * 60 * 1000;

interface SignInState {
  readonly state: string;
  readonly nonce: string;
  /** A log page path, where the callback sends the reader back. */
  readonly returnTo: string;
  readonly expiresAt: number;
}

export interface SlackSignInOptions {
  readonly publicUrl: string;
  /** The Slack base that serves /openid/connect/authorize. */
  readonly slackBase: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly admit: AdmitLogReader;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface SlackSignIn {
  /** `GET /auth/slack/callback`, mounted at SIGN_IN_PREFIX. */
  readonly router: Router;
  /** What the log pages use: a page without a session is sent to Slack, log.json gets 401. */
  readonly requireSession: RequestHandler;
}

/** Sign in with Slack (OpenID Connect, authorization code flow) in front of the log pages. */
export function createSlackSignIn(options: SlackSignInOptions): SlackSignIn {
  const sessions = createSessionSigner(options.clientSecret);
  const states: CookieSigner<SignInState> = createCookieSigner(
    options.clientSecret,
    'sign-in state',
    isSignInState,
  );
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const redirectUri = `${publicUrl}${CALLBACK_PATH}`;
  const secure = publicUrl.startsWith('https:');
  // Behind a proxy that serves deploybot under a path, the browser sees that path: cookies follow it.
  const basePath = new URL(publicUrl).pathname.replace(/\/+$/, '');
  const statePath = `${basePath}${SIGN_IN_PREFIX}`;
  const sessionPath = basePath || '/';

  const currentSession = (req: Request): LogSession | undefined => {
    const session = sessions.verify(readCookie(req.headers.cookie, SESSION_COOKIE));
    return session && session.expiresAt > options.clock.now() ? session : undefined;
  };

  const requireSession: RequestHandler = (req, res, next) => {
    if (currentSession(req)) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    if (req.path.endsWith('/log.json')) {
      res.status(401).json({ error: 'sign in with Slack to read this log' });
      return;
    }
    const state = randomBytes(24).toString('base64url');
    const nonce = randomBytes(24).toString('base64url');
    const returnTo = `${LOG_PAGE_PREFIX}${req.path}`;
    const expiresAt = options.clock.now() + STATE_MS;
    res.setHeader(
      'Set-Cookie',
      buildSetCookie(STATE_COOKIE, states.sign({ state, nonce, returnTo, expiresAt }), {
        maxAgeSeconds: STATE_MS / 1000,
        path: statePath,
        secure,
      }),
    );
    const authorize = new URL(`${options.slackBase}/openid/connect/authorize`);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      scope: 'openid',
      client_id: options.clientId,
      redirect_uri: redirectUri,
      state,
      nonce,
    }).toString();
    res.redirect(302, authorize.toString());
  };

  const router = express.Router();
  router.get('/callback', (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const saved = states.verify(readCookie(req.headers.cookie, STATE_COOKIE));
    const given = typeof req.query.state === 'string' ? req.query.state : '';
    const code = typeof req.query.code === 'string' ? req.query.code : '';
    const clearState = buildSetCookie(STATE_COOKIE, '', { maxAgeSeconds: 0, path: statePath, secure });
    if (!saved || saved.expiresAt <= options.clock.now() || !given || !tokensMatch(saved.state, given)) {
      res.setHeader('Set-Cookie', clearState);
      res.status(400).type('html').send(renderSignInRefusedPage('stale'));
      return;
    }
    if (!code) {
      // Slack sends `error` instead of a code when the person cancels.
      res.setHeader('Set-Cookie', clearState);
      res.status(400).type('html').send(renderSignInRefusedPage('cancelled'));
      return;
    }
    options
      .admit({ code, redirectUri, nonce: saved.nonce })
      .then((admission) => {
        if (!admission.admitted) {
          options.logger.info({ reason: admission.reason }, 'log sign-in refused');
          res.setHeader('Set-Cookie', clearState);
          const status = admission.reason === 'invalid' ? 400 : 403;
          res.status(status).type('html').send(renderSignInRefusedPage(admission.reason));
          return;
        }
        const expiresAt = options.clock.now() + SESSION_MS;
        const session = sessions.sign({ userId: admission.userId, teamId: admission.teamId, expiresAt });
        res.setHeader('Set-Cookie', [
          clearState,
          buildSetCookie(SESSION_COOKIE, session, {
            maxAgeSeconds: SESSION_MS / 1000,
            path: sessionPath,
            secure,
          }),
        ]);
        options.logger.info({ userId: admission.userId }, 'signed in to read deploy logs');
        res.redirect(302, `${publicUrl}${saved.returnTo}`);
      })
      .catch(next);
  });
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    options.logger.error({ err: error }, 'sign in with Slack failed');
    res.status(502).type('text').send('Slack could not be asked who you are right now; try again.');
  });
  return { router, requireSession };
}

function isSignInState(value: unknown): value is SignInState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.state === 'string' &&
    typeof v.nonce === 'string' &&
    typeof v.expiresAt === 'number' &&
    typeof v.returnTo === 'string' &&
    // Only ever back to a log page on this host: never an open redirect.
    v.returnTo.startsWith(`${LOG_PAGE_PREFIX}/`) &&
    !v.returnTo.startsWith('//')
  );
}

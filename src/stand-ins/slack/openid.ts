import { createHmac, randomBytes } from 'node:crypto';
import type { ApiArgs, ApiResponse, AuthorizeRequest } from './types.js';
import type { Workspace } from './workspace.js';

/** An authorize request as deploybot sent the browser to it. */

interface Grant {
  readonly userId: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly nonce: string | undefined;
  readonly claims: Readonly<Record<string, unknown>>;
}

export interface OpenIdProvider {
  readonly clientId: string;
  readonly authorizeRequests: readonly AuthorizeRequest[];
  signInAs(userId: string | undefined, claims?: Record<string, unknown>): void;
  /** `GET /openid/connect/authorize`: the status and Location Slack would answer once the user approves. */
  authorize(url: URL): { status: number; location?: string; body?: string };
  /** `openid.connect.token` and `openid.connect.userInfo`; undefined for any other method. */
  answer(method: string, args: ApiArgs, token: string | undefined): ApiResponse | undefined;
}

const fail = (error: string): ApiResponse => ({ ok: false, error });

/**
 * Sign in with Slack as Slack runs it (OpenID Connect, authorization code flow). The test picks
 * who "approves" with signInAs; authorize then redirects straight back with a one-time code.
 * ID tokens are HS256 JWTs keyed with the client secret, issued by the stand-in's base URL.
 */
export function createOpenIdProvider(
  ws: Workspace,
  options: { clientId: string; clientSecret: string; issuer: () => string },
): OpenIdProvider {
  const grants = new Map<string, Grant>();
  const accessTokens = new Map<string, string>();
  const authorizeRequests: AuthorizeRequest[] = [];
  let signedIn: { userId: string; claims: Record<string, unknown> } | undefined;

  const teamOf = (userId: string): string => ws.users.get(userId)?.teamId ?? ws.teamId;
  const idToken = (grant: Grant): string => {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      iss: options.issuer(),
      sub: grant.userId,
      aud: grant.clientId,
      exp: now + 3600,
      iat: now,
      auth_time: now,
      ...(grant.nonce === undefined ? {} : { nonce: grant.nonce }),
      'https://slack.com/user_id': grant.userId,
      'https://slack.com/team_id': teamOf(grant.userId),
      ...grant.claims,
    };
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const data = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
    return `${data}.${createHmac('sha256', options.clientSecret).update(data).digest('base64url')}`;
  };

  return {
    clientId: options.clientId,
    authorizeRequests,
    signInAs(userId, claims = {}) {
      signedIn = userId === undefined ? undefined : { userId, claims };
    },
    authorize(url) {
      const params = Object.fromEntries(url.searchParams);
      authorizeRequests.push({ url: url.toString(), params });
      const redirectUri = params.redirect_uri;
      if (params.client_id !== options.clientId || !redirectUri) {
        return { status: 400, body: 'invalid client_id or redirect_uri' };
      }
      if (params.response_type !== 'code' || !(params.scope ?? '').split(' ').includes('openid')) {
        return { status: 400, body: 'invalid response_type or scope' };
      }
      const back = new URL(redirectUri);
      if (params.state !== undefined) back.searchParams.set('state', params.state);
      if (!signedIn) {
        back.searchParams.set('error', 'access_denied');
        return { status: 302, location: back.toString() };
      }
      const code = randomBytes(12).toString('hex');
      grants.set(code, {
        userId: signedIn.userId,
        clientId: options.clientId,
        redirectUri,
        nonce: params.nonce,
        claims: signedIn.claims,
      });
      back.searchParams.set('code', code);
      return { status: 302, location: back.toString() };
    },
    answer(method, args, token) {
      if (method === 'openid.connect.token') {
        if (args.client_id !== options.clientId) return fail('invalid_client_id');
        if (args.client_secret !== options.clientSecret) return fail('bad_client_secret');
        const code = typeof args.code === 'string' ? args.code : '';
        const grant = grants.get(code);
        if (!grant) return fail('invalid_code');
        grants.delete(code);
        if (args.redirect_uri !== grant.redirectUri) return fail('bad_redirect_uri');
        const accessToken = `xoxp-oidc-${randomBytes(8).toString('hex')}`;
        accessTokens.set(accessToken, grant.userId);
        return { ok: true, access_token: accessToken, token_type: 'Bearer', id_token: idToken(grant) };
      }
      if (method === 'openid.connect.userInfo') {
        const userId = token === undefined ? undefined : accessTokens.get(token);
        if (!userId) return fail('invalid_auth');
        return {
          ok: true,
          sub: userId,
          'https://slack.com/user_id': userId,
          'https://slack.com/team_id': teamOf(userId),
        };
      }
      return undefined;
    },
  };
}

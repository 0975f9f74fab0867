import { DeploybotError } from '../core/errors.js';
import type { SignInClaims, SlackSignInPort } from '../core/ports/slack-sign-in.js';

export interface SlackSignInClientOptions {
  /** The Web API base, ending in '/' (https://slack.com/api/ unless SLACK_API_URL says otherwise). */
  readonly apiUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly fetch: typeof globalThis.fetch;
}

/** The Slack base that serves /openid/connect/authorize and issues ID tokens: the API URL without /api/. */
export function slackBaseOf(apiUrl: string): string {
  return apiUrl.replace(/\/+$/, '').replace(/\/api$/, '');
}

/**
 * `openid.connect.token` over plain fetch (one form POST; WebClient's retries and queueing buy
 * nothing here, and a sign-in should fail fast). The ID token's signature is not checked against
 * Slack's JWKS (not reachable offline): deploybot uses only an ID token Slack itself returned in
 * this response, over TLS to the configured API, which OpenID Connect allows (Core §3.1.3.7).
 */
export function createSlackSignInClient(options: SlackSignInClientOptions): SlackSignInPort {
  const base = options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`;
  return {
    async exchangeCode(code, redirectUri) {
      let body: unknown;
      try {
        const response = await options.fetch(`${base}openid.connect.token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            client_id: options.clientId,
            client_secret: options.clientSecret,
            code,
            redirect_uri: redirectUri,
            grant_type: 'authorization_code',
          }).toString(),
          signal: AbortSignal.timeout(10_000),
        });
        if (response.status >= 500 || response.status === 429) {
          throw new DeploybotError(
            'slack_unavailable',
            `openid.connect.token answered HTTP ${response.status}`,
          );
        }
        body = await response.json();
      } catch (error) {
        if (error instanceof DeploybotError) throw error;
        // The error may quote the request; only its kind is kept.
        throw new DeploybotError('slack_unavailable', 'openid.connect.token could not be reached', {
          cause: error instanceof Error ? error.name : 'unknown',
        });
      }
      if (!isRecord(body) || body.ok !== true || typeof body.id_token !== 'string') return undefined;
      return decodeJwtPayload(body.id_token);
    },
  };
}

/** The payload of a compact JWT; undefined for anything that is not one. */
export function decodeJwtPayload(token: string): SignInClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return isRecord(payload) ? payload : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import type { SignInClaims } from './ports/slack-sign-in.js';

/** What must hold of an ID token before deploybot believes who it names. */
export interface ExpectedClaims {
  /** The Slack base URL, e.g. https://slack.com. */
  readonly issuer: string;
  /** SLACK_CLIENT_ID. */
  readonly clientId: string;
  /** The nonce deploybot put in the authorize request (kept in the state cookie). */
  readonly nonce: string;
  readonly now: number;
}

export type ClaimsReading =
  | { readonly ok: true; readonly userId: string; readonly teamId: string }
  | { readonly ok: false; readonly problem: 'issuer' | 'audience' | 'expired' | 'nonce' | 'identity' };

export const SLACK_USER_ID_CLAIM = 'https://slack.com/user_id';
export const SLACK_TEAM_ID_CLAIM = 'https://slack.com/team_id';

/** Checks iss, aud, exp and nonce, then reads Slack's user and team IDs. */
export function readSignInClaims(claims: SignInClaims, expected: ExpectedClaims): ClaimsReading {
  if (claims.iss !== expected.issuer) return { ok: false, problem: 'issuer' };
  const aud = claims.aud;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(expected.clientId)) return { ok: false, problem: 'audience' };
  // exp is in seconds since the epoch.
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= expected.now)
    return { ok: false, problem: 'expired' };
  if (claims.nonce !== expected.nonce) return { ok: false, problem: 'nonce' };
  const userId = claims[SLACK_USER_ID_CLAIM];
  const teamId = claims[SLACK_TEAM_ID_CLAIM];
  if (typeof userId !== 'string' || typeof teamId !== 'string' || !userId || !teamId) {
    return { ok: false, problem: 'identity' };
  }
  return { ok: true, userId, teamId };
}

import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** A reader's session on the log pages: who Slack said they are, and until when. */
export interface LogSession {
  readonly userId: string;
  readonly teamId: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

export const SESSION_COOKIE = 'deploybot_session';
export const SESSION_MS = 12 * 60 * 60 * 1000;

/**
 * Signs and checks cookie values with HMAC-SHA256: `base64url(JSON).base64url(mac)`. The key is
 * derived from SLACK_CLIENT_SECRET with HKDF, one per purpose, so a state cookie is never
 * accepted as a session and the client secret itself signs nothing.
 */
export interface CookieSigner<T> {
  sign(payload: T): string;
  /** The payload if the MAC matches and it is well formed; undefined otherwise. */
  verify(value: string | undefined): T | undefined;
}

export function createCookieSigner<T>(
  secret: string,
  purpose: string,
  isPayload: (value: unknown) => value is T,
): CookieSigner<T> {
  const key = Buffer.from(hkdfSync('sha256', secret, 'deploybot', `deploybot ${purpose}`, 32));
  const mac = (data: string) => createHmac('sha256', key).update(data).digest();
  return {
    sign(payload) {
      const data = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${data}.${mac(data).toString('base64url')}`;
    },
    verify(value) {
      if (!value) return undefined;
      const [data, given, extra] = value.split('.');
      if (!data || !given || extra !== undefined) return undefined;
      const expected = mac(data);
      const actual = Buffer.from(given, 'base64url');
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
      try {
        const payload: unknown = JSON.parse(Buffer.from(data, 'base64url').toString('utf8'));
        return isPayload(payload) ? payload : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

export function isLogSession(value: unknown): value is LogSession {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.userId === 'string' && typeof v.teamId === 'string' && typeof v.expiresAt === 'number';
}

export function createSessionSigner(secret: string): CookieSigner<LogSession> {
  return createCookieSigner(secret, 'log session', isLogSession);
}

export interface CookieAttributes {
  /** Seconds; 0 clears the cookie. */
  readonly maxAgeSeconds: number;
  readonly path: string;
  /** Set when PUBLIC_URL is https. */
  readonly secure: boolean;
}

/** A Set-Cookie value: always HttpOnly and SameSite=Lax (Slack's redirect back is a top-level GET). */
export function buildSetCookie(name: string, value: string, attributes: CookieAttributes): string {
  const expires = attributes.maxAgeSeconds === 0 ? '; Expires=Thu, 01 Jan 1970 00:00:00 GMT' : '';
  return [
    `${name}=${value}`,
    `Max-Age=${attributes.maxAgeSeconds}${expires}`,
    `Path=${attributes.path}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(attributes.secure ? ['Secure'] : []),
  ].join('; ');
}

/** One cookie's value from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

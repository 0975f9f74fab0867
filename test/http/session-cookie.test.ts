import { describe, expect, it } from 'vitest';
import {
  buildSetCookie,
  createCookieSigner,
  createSessionSigner,
  isLogSession,
  readCookie,
} from '../../src/http/session-cookie.js';

const SESSION = { userId: 'U0ALICE', teamId: 'T0TEAM', expiresAt: 1_700_000_000_000 };

describe('session cookies', () => {
  const signer = createSessionSigner('client-secret');

  it('reads back what it signed', () => {
    expect(signer.verify(signer.sign(SESSION))).toEqual(SESSION);
  });

  it.each([
    ['nothing', undefined],
    ['an empty value', ''],
    ['no MAC', signer.sign(SESSION).split('.')[0]],
    [
      'a changed payload',
      `${Buffer.from(JSON.stringify({ ...SESSION, userId: 'U0EVE' })).toString('base64url')}.${signer.sign(SESSION).split('.')[1]}`,
    ],
    ['a cut MAC', signer.sign(SESSION).slice(0, -4)],
    ['a third part', `${signer.sign(SESSION)}.x`],
    ['another secret', createSessionSigner('other-secret').sign(SESSION)],
    ['another purpose', createCookieSigner('client-secret', 'sign-in state', isLogSession).sign(SESSION)],
  ])('refuses %s', (_name, value) => {
    expect(signer.verify(value)).toBeUndefined();
  });

  it('refuses a well-signed value of the wrong shape', () => {
    const any = createCookieSigner('client-secret', 'log session', (v): v is unknown => true);
    expect(signer.verify(any.sign({ userId: 'U0ALICE' }))).toBeUndefined();
  });

  it('builds HttpOnly SameSite=Lax cookies, Secure only when asked (an https PUBLIC_URL)', () => {
    expect(buildSetCookie('s', 'v', { maxAgeSeconds: 43_200, path: '/', secure: false })).toBe(
      's=v; Max-Age=43200; Path=/; HttpOnly; SameSite=Lax',
    );
    expect(buildSetCookie('s', 'v', { maxAgeSeconds: 43_200, path: '/', secure: true })).toBe(
      's=v; Max-Age=43200; Path=/; HttpOnly; SameSite=Lax; Secure',
    );
    expect(buildSetCookie('s', '', { maxAgeSeconds: 0, path: '/auth/slack', secure: false })).toContain(
      'Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    );
  });

  it.each([
    [undefined, undefined],
    ['a=1', undefined],
    ['deploybot_session=abc.def', 'abc.def'],
    ['x=1; deploybot_session=abc.def; y=2', 'abc.def'],
    ['my_deploybot_session=zzz', undefined],
  ])('reads the session from the Cookie header %s', (header, value) => {
    expect(readCookie(header, 'deploybot_session')).toBe(value);
  });
});

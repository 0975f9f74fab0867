import { describe, expect, it } from 'vitest';
import { readSignInClaims } from '../../src/core/sign-in-claims.js';

const NOW = 1_700_000_000_000;
const EXPECTED = { issuer: 'https://slack.com', clientId: '1111.2222', nonce: 'n-1', now: NOW };
const CLAIMS = {
  iss: 'https://slack.com',
  aud: '1111.2222',
  exp: NOW / 1000 + 60,
  nonce: 'n-1',
  sub: 'U0ALICE',
  'https://slack.com/user_id': 'U0ALICE',
  'https://slack.com/team_id': 'T0TEAM',
};

describe('readSignInClaims', () => {
  it('reads the user and team of a token that holds', () => {
    expect(readSignInClaims(CLAIMS, EXPECTED)).toEqual({ ok: true, userId: 'U0ALICE', teamId: 'T0TEAM' });
    expect(readSignInClaims({ ...CLAIMS, aud: ['other', '1111.2222'] }, EXPECTED)).toMatchObject({
      ok: true,
    });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['another issuer', { iss: 'https://evil.example' }, 'issuer'],
    ['no issuer', { iss: undefined }, 'issuer'],
    ['another audience', { aud: '9999.0000' }, 'audience'],
    ['expired', { exp: NOW / 1000 }, 'expired'],
    ['no exp', { exp: undefined }, 'expired'],
    ['exp as text', { exp: String(NOW / 1000 + 60) }, 'expired'],
    ['another nonce', { nonce: 'n-2' }, 'nonce'],
    ['no nonce', { nonce: undefined }, 'nonce'],
    ['no user', { 'https://slack.com/user_id': undefined }, 'identity'],
    ['no team', { 'https://slack.com/team_id': '' }, 'identity'],
  ])('refuses %s', (_name, change, problem) => {
    expect(readSignInClaims({ ...CLAIMS, ...change }, EXPECTED)).toEqual({ ok: false, problem });
  });
});

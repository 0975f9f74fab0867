import { describe, expect, it } from 'vitest';
import { createInstallationTokenCache, TOKEN_RENEW_MARGIN_MS } from '../../src/github/token-cache.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
// What @octokit/auth-app stores: token|createdAt|expiresAt|selection|permissions|singleFile.
const entry = (expiresAt: string) => `ghs_x|2026-03-01T11:00:00Z|${expiresAt}|all|deployments!,metadata|`;

describe('createInstallationTokenCache', () => {
  it.each<[string, string, boolean]>([
    ['an hour left', '2026-03-01T13:00:00Z', true],
    ['just over the margin left', new Date(NOW + TOKEN_RENEW_MARGIN_MS + 1000).toISOString(), true],
    ['inside the renewal margin', new Date(NOW + TOKEN_RENEW_MARGIN_MS - 1000).toISOString(), false],
    ['already expired', '2026-03-01T11:59:00Z', false],
    ['an unreadable expiry', 'soon', false],
  ])('with %s, keeps the token: %s', (_name, expiresAt, kept) => {
    const cache = createInstallationTokenCache({ now: () => NOW });
    cache.set('42', entry(expiresAt));
    expect(cache.get('42')).toBe(kept ? entry(expiresAt) : undefined);
  });

  it('forgets a token once it is due, so the next one is fetched', () => {
    let now = NOW;
    const cache = createInstallationTokenCache({ now: () => now });
    cache.set('42', entry('2026-03-01T13:00:00Z'));
    now += 56 * 60_000;
    expect(cache.get('42')).toBeUndefined();
    now -= 56 * 60_000;
    expect(cache.get('42')).toBeUndefined();
    expect(cache.get('7')).toBeUndefined();
  });
});

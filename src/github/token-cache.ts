import type { Clock } from '../core/scheduler.js';

/** The cache @octokit/auth-app keeps installation tokens in. */
export interface InstallationTokenCache {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

/** Installation tokens live an hour; one this close to its end is renewed before it is used. */
export const TOKEN_RENEW_MARGIN_MS = 5 * 60_000;

/**
 * auth-app's own cache forgets a token 59 minutes after it was made, whatever its
 * `expires_at` says, and reads the system clock. This one honours `expires_at` and the
 * injected clock, so a token is renewed `marginMs` before GitHub would refuse it.
 */
export function createInstallationTokenCache(
  clock: Clock,
  marginMs: number = TOKEN_RENEW_MARGIN_MS,
): InstallationTokenCache {
  const entries = new Map<string, string>();
  return {
    get(key) {
      const value = entries.get(key);
      if (value === undefined) return undefined;
      // auth-app stores "token|createdAt|expiresAt|selection|permissions|singleFile".
      const expiresAt = Date.parse(value.split('|')[2] ?? '');
      if (Number.isNaN(expiresAt) || expiresAt - marginMs <= clock.now()) {
        entries.delete(key);
        return undefined;
      }
      return value;
    },
    set(key, value) {
      entries.set(key, value);
    },
  };
}

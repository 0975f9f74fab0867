import type { GitHubIdentity, IdentityPort } from '../../../src/core/ports/identity.js';

/** deploybot's GitHub login as a rig decides it; `fail` makes the next asks throw. */
export interface MemoryIdentity extends IdentityPort {
  readonly asked: number;
  fail(error: Error | undefined): void;
}

export function createMemoryIdentity(login = 'deploybot[bot]'): MemoryIdentity {
  let asked = 0;
  let failure: Error | undefined;
  const known: GitHubIdentity = { login, kind: login.endsWith('[bot]') ? 'app' : 'user' };
  return {
    get asked() {
      return asked;
    },
    fail(error) {
      failure = error;
    },
    async identity() {
      asked++;
      if (failure) throw failure;
      return known;
    },
  };
}

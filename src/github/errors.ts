import { RequestError } from '@octokit/request-error';
import { DeploybotError, toDeploybotError } from '../core/errors.js';
import type { CheckContext } from '../core/merge-deploy.js';

export interface GitHubErrorContext {
  readonly repository: string;
  readonly ref?: string;
}

interface GitHubErrorBody {
  readonly message?: unknown;
  readonly errors?: unknown;
}

/** Turns what Octokit threw into a DeploybotError whose code says what GitHub meant. */
export function mapGitHubError(error: unknown, context: GitHubErrorContext): DeploybotError {
  if (error instanceof DeploybotError) return error;
  // Octokit reports network failures as RequestErrors too; anything else is deploybot's own bug.
  if (!(error instanceof RequestError)) return toDeploybotError(error);
  const body = (error.response?.data ?? {}) as GitHubErrorBody;
  const githubMessage = typeof body.message === 'string' ? body.message : error.message;
  const details = { ...context, status: error.status, githubMessage };
  const headers = error.response?.headers ?? {};

  switch (error.status) {
    case 401:
      return new DeploybotError('github_unauthorized', githubMessage, { cause: error, details });
    case 403:
    case 429:
      if (
        error.status === 429 ||
        headers['x-ratelimit-remaining'] === '0' ||
        headers['retry-after'] !== undefined
      ) {
        return new DeploybotError('github_rate_limited', githubMessage, { cause: error, details });
      }
      return new DeploybotError('github_forbidden', githubMessage, { cause: error, details });
    case 404:
      return new DeploybotError('github_not_found', githubMessage, { cause: error, details });
    case 409: {
      const contexts = readContexts(body.errors);
      if (contexts === undefined) {
        return new DeploybotError('github_merge_conflict', githubMessage, { cause: error, details });
      }
      return new DeploybotError('github_checks_failed', githubMessage, {
        cause: error,
        details: { ...details, contexts },
      });
    }
    case 422:
      // GitHub answers an unknown ref with a bare message and a validation failure with `errors`.
      if (!Array.isArray(body.errors) || body.errors.length === 0) {
        return new DeploybotError('github_no_such_ref', githubMessage, { cause: error, details });
      }
      return new DeploybotError('github_invalid', githubMessage, { cause: error, details });
    default:
      if (error.status >= 500 || error.status === 0) {
        return new DeploybotError('github_unavailable', githubMessage, { cause: error, details });
      }
      return new DeploybotError('github_invalid', githubMessage, { cause: error, details });
  }
}

/** The `errors[].contexts` of a 409 about commit statuses; undefined when the 409 is something else. */
function readContexts(errors: unknown): CheckContext[] | undefined {
  if (!Array.isArray(errors)) return undefined;
  let found = false;
  const contexts: CheckContext[] = [];
  for (const entry of errors) {
    const list = (entry as { contexts?: unknown } | null)?.contexts;
    if (!Array.isArray(list)) continue;
    found = true;
    for (const item of list) {
      const c = item as { context?: unknown; state?: unknown };
      if (typeof c.context === 'string') {
        contexts.push({ context: c.context, state: typeof c.state === 'string' ? c.state : 'missing' });
      }
    }
  }
  return found ? contexts : undefined;
}

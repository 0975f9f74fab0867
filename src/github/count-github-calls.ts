import type { Octokit } from '@octokit/rest';
import type { ApiMetrics } from '../core/ports/metrics.js';

interface EndpointLike {
  readonly method?: string;
  readonly url?: string;
}

/**
 * The label of a request: its method and route template (`GET /repos/{owner}/{repo}`), never
 * the expanded path, so every repository and deployment shares one series.
 */
export function githubRouteOf(endpoint: EndpointLike): string {
  const method = (endpoint.method ?? 'GET').toUpperCase();
  const url = endpoint.url ?? '';
  // Only templates are labels; an expanded URL (a next page, say) would make a series per page.
  const path = url.includes('{') ? url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0] : '(expanded url)';
  return `${method} ${path}`;
}

/**
 * An Octokit plugin counting every attempt of every request. Registered before the retry and
 * throttling plugins, its hook sits inside theirs, so a retried request counts each attempt.
 */
export function countGitHubCalls(
  octokit: Pick<Octokit, 'hook'>,
  // Octokit hands every plugin the constructor's options, typed loosely.
  options: { readonly [option: string]: unknown },
): void {
  const metrics = options.metrics as ApiMetrics | undefined;
  if (metrics === undefined) return;
  // The retry and throttling plugins hand each attempt the same options: seen before means a retry.
  // (Their own retryCount lives on an object Octokit shares between requests, so it cannot tell.)
  const seen = new WeakSet<object>();
  octokit.hook.wrap('request', async (request, endpoint) => {
    const method = githubRouteOf(endpoint);
    const retry = seen.has(endpoint);
    seen.add(endpoint);
    try {
      const response = await request(endpoint);
      metrics.apiCall({ service: 'github', method, outcome: 'ok', retry });
      return response;
    } catch (error) {
      const status = (error as { status?: unknown } | null)?.status;
      const outcome = typeof status === 'number' && status > 0 ? String(status) : 'unreachable';
      metrics.apiCall({ service: 'github', method, outcome, retry });
      // Whether it is tried again shows on the next attempt, counted as a retry.
      if (isRateLimit(error)) metrics.rateLimited('github', method, false);
      throw error;
    }
  });
}

/**
 * GitHub's rate limits by status and headers: 429; or 403 with no requests left (the primary
 * limit) or with retry-after (a secondary limit).
 */
function isRateLimit(error: unknown): boolean {
  const failure = error as { status?: unknown; response?: { headers?: Record<string, unknown> } } | null;
  if (failure?.status === 429) return true;
  if (failure?.status !== 403) return false;
  const headers = failure.response?.headers ?? {};
  return headers['x-ratelimit-remaining'] === '0' || headers['retry-after'] !== undefined;
}

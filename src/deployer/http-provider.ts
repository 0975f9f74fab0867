import type { ProviderConfig } from '../core/config.js';
import { buildHttpDeployBody, type DeployFacts } from '../core/deploy-env.js';
import type { ProviderOutcome } from '../core/deploy-outcome.js';
import type { DeployLogSink } from '../core/ports/deploy-log.js';

export type HttpProvider = Extract<ProviderConfig, { type: 'http' }>;

export interface HttpRun {
  readonly provider: HttpProvider;
  readonly facts: DeployFacts;
  readonly capture: DeployLogSink;
  readonly signal: AbortSignal;
  readonly fetch: typeof globalThis.fetch;
}

/** POSTs the deployment as JSON; a 2xx answer is success, and the answer's body goes to the log. */
export async function runHttp(run: HttpRun): Promise<ProviderOutcome | 'aborted'> {
  const target = new URL(run.provider.url);
  // The origin only: deploy-hook URLs often carry their secret in the path.
  run.capture.note(`POST ${target.origin}`);
  let response: Response;
  try {
    response = await run.fetch(run.provider.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/plain, */*',
        'user-agent': 'deploybot',
        ...run.provider.headers,
      },
      body: JSON.stringify(buildHttpDeployBody(run.facts)),
      // A redirect would resend the body, and maybe the headers, somewhere not configured.
      redirect: 'manual',
      signal: run.signal,
    });
  } catch (error) {
    if (run.signal.aborted) return 'aborted';
    return { kind: 'unreachable', host: target.host, reason: describeFetchFailure(error) };
  }
  run.capture.note(`HTTP ${response.status} ${response.statusText}`.trim());
  try {
    if (response.body) {
      for await (const chunk of response.body) run.capture.write('body', Buffer.from(chunk));
    }
  } catch (error) {
    if (run.signal.aborted) return 'aborted';
    run.capture.endOutput();
    run.capture.note(`the response body could not be read to the end (${describeFetchFailure(error)})`);
  }
  run.capture.endOutput();
  if (response.status >= 200 && response.status < 300) return 'succeeded';
  return { kind: 'http_status', status: response.status, statusText: response.statusText };
}

const FETCH_FAILURES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
};

/** fetch wraps the network error as `cause`; its code says what happened. */
function describeFetchFailure(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return FETCH_FAILURES[code] ?? code;
    current = (current as { cause?: unknown }).cause;
  }
  return 'network error';
}

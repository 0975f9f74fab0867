import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RecordedRequest } from './request-log.js';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Runs once the response is done, e.g. to send the webhook GitHub sends afterwards. It also runs
   * when the client gave up first: GitHub still created the deployment a timed-out client asked for.
   */
  afterResponse?: () => void;
}

export interface RequestMatch {
  /** Case-insensitive; `*` matches any method. */
  method: string;
  /** A string matches the whole path (encoded or decoded); a RegExp is tested against the path. */
  path: string | RegExp;
}

export interface FaultResponse {
  /** 0 drops the connection without answering, like a network failure. */
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Armed<T> {
  match: RequestMatch;
  value: T;
  remaining: number;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function matchesRequest(match: RequestMatch, method: string, path: string): boolean {
  if (match.method !== '*' && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (typeof match.path === 'string') return match.path === path || match.path === safeDecode(path);
  return match.path.test(path) || match.path.test(safeDecode(path));
}

function takeArmed<T>(armed: Armed<T>[], method: string, path: string): T | undefined {
  const found = armed.find((entry) => matchesRequest(entry.match, method, path));
  if (!found) return undefined;
  found.remaining -= 1;
  if (found.remaining <= 0) armed.splice(armed.indexOf(found), 1);
  return found.value;
}

/** Faults and slowness tests ask for: failures and delays are consumed before normal handling, lost replies after it. */
export class FaultInjector {
  private readonly failures: Armed<FaultResponse>[] = [];
  private readonly delays: Armed<number>[] = [];
  private readonly lostReplies: Armed<FaultResponse>[] = [];

  addFailure(match: RequestMatch, response: FaultResponse, times: number): void {
    this.failures.push({ match, value: response, remaining: times });
  }

  addDelay(match: RequestMatch, ms: number, times: number): void {
    this.delays.push({ match, value: ms, remaining: times });
  }

  addLostReply(match: RequestMatch, response: FaultResponse, times: number): void {
    this.lostReplies.push({ match, value: response, remaining: times });
  }

  /** Taken after normal handling: what answers in place of the reply of a request already carried out. */
  takeLostReply(method: string, path: string): FaultResponse | undefined {
    return takeArmed(this.lostReplies, method, path);
  }

  takeFailure(method: string, path: string): FaultResponse | undefined {
    return takeArmed(this.failures, method, path);
  }

  takeDelay(method: string, path: string): number {
    return takeArmed(this.delays, method, path) ?? 0;
  }
}

export interface RateLimitSnapshot {
  limit: number;
  used: number;
  remaining: number;
  reset: number;
}

/** GitHub's primary rate limit headers, counting down per answered request so they look alive. */
export class RateLimiter {
  readonly limit = 5000;
  used = 0;
  readonly reset = Math.floor(Date.now() / 1000) + 3600;

  consume(): Record<string, string> {
    this.used += 1;
    return {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.limit - this.used)),
      'x-ratelimit-reset': String(this.reset),
      'x-ratelimit-used': String(this.used),
      'x-ratelimit-resource': 'core',
    };
  }

  describe(): RateLimitSnapshot {
    return { limit: this.limit, used: this.used, remaining: this.limit - this.used, reset: this.reset };
  }
}

function flattenHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export async function readRequest(request: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks).toString('utf8');
  const url = new URL(request.url ?? '/', 'http://stand-in.invalid');
  let body: unknown;
  try {
    body = rawBody === '' ? undefined : JSON.parse(rawBody);
  } catch {
    body = undefined;
  }
  return {
    method: (request.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: flattenHeaders(request),
    body,
    rawBody,
    at: Date.now(),
  };
}

/** Looks like GitHub's `X-GitHub-Request-Id`, e.g. `C0DE:1A2B:3C4D5E:6F70819:65F0A1B2`. */
function makeRequestId(): string {
  const hex = (bytes: number) => randomBytes(bytes).toString('hex').toUpperCase();
  return `${hex(2)}:${hex(2)}:${hex(3)}:${hex(4)}:${hex(4)}`;
}

export function writeReply(
  response: ServerResponse,
  reply: Reply,
  rateHeaders: Record<string, string>,
): void {
  if (reply.status === 0) {
    response.socket?.destroy();
    return;
  }
  if (reply.afterResponse) response.once('close', reply.afterResponse);
  const text =
    reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'x-github-media-type': 'github.v3; format=json',
    'x-github-api-version-selected': '2022-11-28',
    'x-github-request-id': makeRequestId(),
    ...rateHeaders,
    ...reply.headers,
    'content-length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiCall, ResponseUrlPost } from './types.js';

/** A call as a failure message lists it. */
export function summarizeCall(call: ApiCall): string {
  const { blocks, ...rest } = call.args;
  const outcome = call.response.ok
    ? 'ok'
    : `${call.response.error}${call.status === 200 ? '' : ` (HTTP ${call.status})`}`;
  const args = JSON.stringify(blocks === undefined ? rest : { ...rest, blocks: '[…]' });
  return `${call.method} → ${outcome} ${args.length > 200 ? `${args.slice(0, 200)}…` : args}`;
}

export function summarizeResponse(post: ResponseUrlPost): string {
  const body = JSON.stringify(post.body);
  return `${post.url} ${body.length > 200 ? `${body.slice(0, 200)}…` : body}`;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

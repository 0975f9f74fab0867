import type { IncomingMessage } from 'node:http';
import type { ApiArgs } from './types.js';

// WebClient flattens these to JSON strings in form bodies; decoding them lets tests assert on structure.
const JSON_ENCODED_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view', 'user_auth_blocks']);

export async function readRawBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function decodeJsonFields(fields: ApiArgs): ApiArgs {
  for (const [key, value] of Object.entries(fields)) {
    if (!JSON_ENCODED_FIELDS.has(key) || typeof value !== 'string') continue;
    try {
      fields[key] = JSON.parse(value);
    } catch {
      // Slack rejects such a call with invalid_blocks etc.; keeping the raw string lets the handler say so.
    }
  }
  return fields;
}

/** Parses a Web API request body the way Slack accepts it: form-encoded, JSON, or multipart. */
export async function parseApiArgs(raw: Buffer, contentType: string | undefined): Promise<ApiArgs> {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (raw.length === 0) return {};
  if (type === 'application/json') {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? decodeJsonFields({ ...parsed }) : {};
  }
  if (type === 'multipart/form-data') {
    const form = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': contentType ?? '' },
    }).formData();
    const fields: ApiArgs = {};
    for (const [key, value] of form.entries()) fields[key] = typeof value === 'string' ? value : '[binary]';
    return decodeJsonFields(fields);
  }
  return decodeJsonFields(Object.fromEntries(new URLSearchParams(raw.toString('utf8'))));
}

/** Parses what apps POST to a response_url: Bolt's respond() sends JSON, but form posts are tolerated. */
export function parseResponseUrlBody(raw: Buffer, contentType: string | undefined): unknown {
  const text = raw.toString('utf8');
  if ((contentType ?? '').includes('application/x-www-form-urlencoded')) {
    const fields = Object.fromEntries(new URLSearchParams(text));
    return typeof fields.payload === 'string' ? JSON.parse(fields.payload) : fields;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

export interface WebhookSendOptions {
  /** `form` sends `application/x-www-form-urlencoded` with `payload=<JSON>`, like a form-type hook. */
  contentType?: 'json' | 'form' | undefined;
  /** Overrides the stand-in's webhookSecret for this delivery. */
  secret?: string | undefined;
  deliveryId?: string | undefined;
  /** A string is sent verbatim as X-Hub-Signature-256 (for forged signatures); null sends none. */
  signature?: string | null | undefined;
}

export interface WebhookResult {
  status: number;
  body: string;
  deliveryId: string;
}

export interface SentWebhook {
  event: string;
  deliveryId: string;
  /** 0 when the receiver could not be reached. */
  status: number;
  payload: unknown;
  error?: string;
}

/** Fixed like a real hook's id, so receivers that log or key on it see a stable value. */
const HOOK_ID = '424242424';
// GitHub gives up on a delivery after 10 s; waiting longer would hide a hung receiver.
const DELIVERY_TIMEOUT_MS = 10_000;

export function signWebhookBody(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** For test receivers: checks an X-Hub-Signature-256 header against the raw body. */
export function verifyWebhookSignature(secret: string, rawBody: string, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(signWebhookBody(secret, rawBody));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function findRepositoryId(payload: unknown): string | undefined {
  const repository = (payload as { repository?: { id?: unknown } } | null)?.repository;
  return typeof repository?.id === 'number' ? String(repository.id) : undefined;
}

/** POSTs one webhook the way GitHub's Hookshot does and reports what the receiver answered. */
export async function deliverWebhook(
  url: string,
  event: string,
  payload: unknown,
  options: WebhookSendOptions = {},
): Promise<WebhookResult> {
  const json = JSON.stringify(payload);
  const form = options.contentType === 'form';
  // The signature covers the exact bytes sent, so it is computed after the form encoding.
  const rawBody = form ? new URLSearchParams({ payload: json }).toString() : json;
  const deliveryId = options.deliveryId ?? randomUUID();
  const headers: Record<string, string> = {
    accept: '*/*',
    'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
    'user-agent': 'GitHub-Hookshot/abc',
    'x-github-event': event,
    'x-github-delivery': deliveryId,
    'x-github-hook-id': HOOK_ID,
  };
  const targetId = findRepositoryId(payload);
  if (targetId) {
    headers['x-github-hook-installation-target-id'] = targetId;
    headers['x-github-hook-installation-target-type'] = 'repository';
  }
  if (options.signature !== undefined) {
    if (options.signature !== null) headers['x-hub-signature-256'] = options.signature;
  } else if (options.secret !== undefined) {
    headers['x-hub-signature'] = `sha1=${createHmac('sha1', options.secret).update(rawBody).digest('hex')}`;
    headers['x-hub-signature-256'] = signWebhookBody(options.secret, rawBody);
  }
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: rawBody,
    signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
  });
  return { status: response.status, body: await response.text(), deliveryId };
}

import { createHmac, timingSafeEqual } from 'node:crypto';

/** GitHub's `X-Hub-Signature-256`: "sha256=" + hex HMAC-SHA256 of the raw body. */
export function signWebhookBody(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function verifyWebhookSignature(secret: string, body: Buffer, header: string | undefined): boolean {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const expected = Buffer.from(signWebhookBody(secret, body), 'utf8');
  const given = Buffer.from(header, 'utf8');
  // timingSafeEqual throws on unequal lengths; a length mismatch is a mismatch.
  return expected.length === given.length && timingSafeEqual(expected, given);
}

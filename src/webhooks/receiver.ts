import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { DeploybotError, presentError } from '../core/errors.js';
import type { DeliveryStore, NewDelivery } from '../core/ports/delivery-store.js';
import type { WebhookMetrics } from '../core/ports/metrics.js';
import { repoKey } from '../core/repo-key.js';
import type { Clock } from '../core/scheduler.js';
import type { Logger } from '../logger.js';
import type { IngestGauge } from './ingest-gauge.js';
import { verifyWebhookSignature } from './signature.js';

export interface WebhookReceiverOptions {
  readonly secret: string;
  readonly bodyLimitBytes: number;
  readonly store: DeliveryStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Whether any handler acts on the event; others are answered without their payload being kept. */
  readonly handles: (event: string) => boolean;
  /** What of a handled event's payload to store: what its handler reads. */
  readonly keep: (event: string, payload: Record<string, unknown>) => Record<string, unknown>;
  /** Counts the requests under way, so the inbox can give way while many are. */
  readonly gauge: Pick<IngestGauge, 'enter' | 'leave'>;
  /** Called after a new delivery is safely stored and answered. */
  readonly onDelivery: (delivery: NewDelivery) => void;
  /** Told of deliveries answered without being handled: ignored, duplicate, rejected. */
  readonly metrics?: WebhookMetrics;
}

/** `POST /github/webhooks` on node:http itself: the hottest route skips express's layers. */
export type WebhookReceiver = (req: IncomingMessage, res: ServerResponse) => void;

type BodyKind = 'json' | 'form';

const UNVERIFIED_EVENT = '(unverified)';

/**
 * GitHub's webhook endpoint. It stores each delivery before answering, so an answered
 * delivery survives a restart, and answers before any work, well inside GitHub's 10 s.
 */
export function createWebhookReceiver(options: WebhookReceiverOptions): WebhookReceiver {
  function fail(res: ServerResponse, error: unknown): void {
    const failure = toRequestError(error);
    const presented = presentError(failure);
    if (presented.httpStatus >= 500)
      options.logger.error({ err: failure.cause ?? failure }, 'webhook not stored');
    // Unverified headers would let anyone mint series: rejected deliveries share one label.
    options.metrics?.webhookDelivery(UNVERIFIED_EVENT, 'rejected');
    sendJson(res, presented.httpStatus, { error: presented.text });
  }

  return (req, res) => {
    const refused = refuseBeforeReading(req.headers, options.bodyLimitBytes);
    if (refused) {
      // The body is not read: the connection goes with the answer.
      res.shouldKeepAlive = false;
      req.resume();
      fail(res, refused);
      return;
    }
    options.gauge.enter();
    readBody(req, options.bodyLimitBytes)
      .then(
        (raw) => receive(options, req.headers, raw, res).catch((error: unknown) => fail(res, error)),
        (error: unknown) => {
          res.shouldKeepAlive = false;
          fail(res, error);
        },
      )
      .finally(options.gauge.leave);
  };
}

/** The raw body, up to `limitBytes`; past it, reading stops and the request is refused with 413. */
function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > limitBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(new DeploybotError('payload_too_large', 'Webhook body is too large.'));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length)),
    );
    req.once('error', (error) =>
      reject(new DeploybotError('bad_request', 'Webhook body could not be read.', { cause: error })),
    );
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** What can be refused from the headers alone, before a byte of the body is read. */
function refuseBeforeReading(headers: IncomingHttpHeaders, limitBytes: number): DeploybotError | undefined {
  if (readBodyKind(headers['content-type']) === undefined) {
    return new DeploybotError(
      'unsupported_media_type',
      'Webhook content type must be application/json or application/x-www-form-urlencoded.',
    );
  }
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    return new DeploybotError('unsupported_media_type', 'Webhook bodies must not be compressed.');
  }
  const length = Number(headers['content-length']);
  if (Number.isFinite(length) && length > limitBytes) {
    return new DeploybotError('payload_too_large', 'Webhook body is too large.');
  }
  return undefined;
}

/** A header's one value: node joins repeated ones, and an array would be no header at all. */
function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

async function receive(
  options: WebhookReceiverOptions,
  headers: IncomingHttpHeaders,
  raw: Buffer,
  res: ServerResponse,
): Promise<void> {
  const kind = readBodyKind(headers['content-type']) ?? 'json';
  if (!verifyWebhookSignature(options.secret, raw, header(headers, 'x-hub-signature-256'))) {
    options.logger.warn({ delivery: header(headers, 'x-github-delivery') }, 'webhook signature mismatch');
    throw new DeploybotError('signature_invalid', 'signature mismatch');
  }
  const event = header(headers, 'x-github-event');
  const deliveryId = header(headers, 'x-github-delivery');
  if (!event || !deliveryId) {
    throw new DeploybotError('bad_request', 'Missing X-GitHub-Event or X-GitHub-Delivery header.');
  }
  if (deliveryId.length > 100 || event.length > 100) {
    throw new DeploybotError('bad_request', 'X-GitHub-Event or X-GitHub-Delivery is too long.');
  }
  const payload = parseBody(kind, raw);
  if (event === 'ping') {
    sendJson(res, 200, { status: 'pong' });
    return;
  }
  if (!options.handles(event)) {
    // Kept by id only, so a redelivery is still recognised; the payload is nobody's business.
    await record(() => options.store.recordIgnoredDelivery(deliveryId, event, options.clock.now()));
    sendJson(res, 200, { status: 'ignored' });
    options.metrics?.webhookDelivery(event, 'ignored');
    return;
  }
  const delivery: NewDelivery = {
    deliveryId,
    event,
    action: typeof payload.action === 'string' ? payload.action : undefined,
    partitionKey: readPartitionKey(payload),
    payload: options.keep(event, payload),
    receivedAt: options.clock.now(),
  };
  const outcome = await record(() => options.store.recordDelivery(delivery));
  if (outcome === 'duplicate') {
    options.logger.info({ delivery: deliveryId, event }, 'webhook redelivered; already received');
    sendJson(res, 200, { status: 'duplicate' });
    options.metrics?.webhookDelivery(event, 'duplicate');
    return;
  }
  // 200 rather than 202: GitHub counts any 2xx as delivered, and ignored events get the same answer.
  sendJson(res, 200, { status: 'accepted' });
  options.onDelivery(delivery);
}

async function record<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw new DeploybotError('store_unavailable', 'could not store the delivery', { cause: error });
  }
}

function readBodyKind(contentType: string | undefined): BodyKind | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  return undefined;
}

function parseBody(kind: BodyKind, raw: Buffer): Record<string, unknown> {
  let text = raw.toString('utf8');
  if (kind === 'form') {
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null)
      throw new DeploybotError('bad_request', 'Form-encoded webhook has no payload field.');
    text = payload;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DeploybotError('bad_request', 'Webhook body is not valid JSON.', { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DeploybotError('bad_request', 'Webhook body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

function readPartitionKey(payload: Record<string, unknown>): string {
  const repository = payload.repository as { full_name?: unknown } | undefined;
  return typeof repository?.full_name === 'string' ? repoKey(repository.full_name) : '';
}

function toRequestError(error: unknown): DeploybotError {
  if (error instanceof DeploybotError) return error;
  const status = (error as { status?: unknown; type?: unknown } | null)?.status;
  if (status === 413)
    return new DeploybotError('payload_too_large', 'Webhook body is too large.', { cause: error });
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new DeploybotError('bad_request', 'Webhook body could not be read.', { cause: error });
  }
  return new DeploybotError('internal', 'webhook receiver failed', { cause: error });
}

import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { DeploybotError, presentError } from '../core/errors.js';
import type { DeliveryStore, NewDelivery } from '../core/ports/delivery-store.js';
import type { WebhookMetrics } from '../core/ports/metrics.js';
import { repoKey } from '../core/repo-key.js';
import type { Clock } from '../core/scheduler.js';
import type { Logger } from '../logger.js';
import { verifyWebhookSignature } from './signature.js';

export interface WebhookReceiverOptions {
  readonly secret: string;
  readonly bodyLimitBytes: number;
  readonly store: DeliveryStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Whether any handler acts on the event; others are answered without their payload being kept. */
  readonly handles: (event: string) => boolean;
  /** Called after a new delivery is safely stored and answered. */
  readonly onDelivery: (delivery: NewDelivery) => void;
  /** Told of deliveries answered without being handled: ignored, duplicate, rejected. */
  readonly metrics?: WebhookMetrics;
}

type BodyKind = 'json' | 'form';

const UNVERIFIED_EVENT = '(unverified)';

/**
 * GitHub's webhook endpoint. It stores each delivery before answering, so an answered
 * delivery survives a restart, and answers before any work, well inside GitHub's 10 s.
 */
export function createWebhookRouter(options: WebhookReceiverOptions): Router {
  const router = express.Router();
  router.post(
    '/',
    (req: Request, _res: Response, next: NextFunction) =>
      next(refuseBeforeReading(req, options.bodyLimitBytes)),
    // inflate false: GitHub never compresses, and a compressed body could unpack past the limit.
    express.raw({ type: () => true, limit: options.bodyLimitBytes, inflate: false }),
    (req: Request, res: Response, next: NextFunction) => {
      receive(options, req, res).catch(next);
    },
  );
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const failure = toRequestError(error);
    const presented = presentError(failure);
    if (presented.httpStatus >= 500)
      options.logger.error({ err: failure.cause ?? failure }, 'webhook not stored');
    // Unverified headers would let anyone mint series: rejected deliveries share one label.
    options.metrics?.webhookDelivery(UNVERIFIED_EVENT, 'rejected');
    res.status(presented.httpStatus).json({ error: presented.text });
  });
  return router;
}

/** What can be refused from the headers alone, before a byte of the body is read. */
function refuseBeforeReading(req: Request, limitBytes: number): DeploybotError | undefined {
  if (readBodyKind(req.headers['content-type']) === undefined) {
    return new DeploybotError(
      'unsupported_media_type',
      'Webhook content type must be application/json or application/x-www-form-urlencoded.',
    );
  }
  const encoding = req.headers['content-encoding']?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    return new DeploybotError('unsupported_media_type', 'Webhook bodies must not be compressed.');
  }
  const length = Number(req.headers['content-length']);
  if (Number.isFinite(length) && length > limitBytes) {
    return new DeploybotError('payload_too_large', 'Webhook body is too large.');
  }
  return undefined;
}

async function receive(options: WebhookReceiverOptions, req: Request, res: Response): Promise<void> {
  const kind = readBodyKind(req.headers['content-type']) ?? 'json';
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (!verifyWebhookSignature(options.secret, raw, req.get('x-hub-signature-256'))) {
    options.logger.warn({ delivery: req.get('x-github-delivery') }, 'webhook signature mismatch');
    throw new DeploybotError('signature_invalid', 'signature mismatch');
  }
  const event = req.get('x-github-event');
  const deliveryId = req.get('x-github-delivery');
  if (!event || !deliveryId) {
    throw new DeploybotError('bad_request', 'Missing X-GitHub-Event or X-GitHub-Delivery header.');
  }
  if (deliveryId.length > 100 || event.length > 100) {
    throw new DeploybotError('bad_request', 'X-GitHub-Event or X-GitHub-Delivery is too long.');
  }
  const payload = parseBody(kind, raw);
  if (event === 'ping') {
    res.status(200).json({ status: 'pong' });
    return;
  }
  if (!options.handles(event)) {
    // Kept by id only, so a redelivery is still recognised; the payload is nobody's business.
    await record(() => options.store.recordIgnoredDelivery(deliveryId, event, options.clock.now()));
    res.status(200).json({ status: 'ignored' });
    options.metrics?.webhookDelivery(event, 'ignored');
    return;
  }
  const delivery: NewDelivery = {
    deliveryId,
    event,
    action: typeof payload.action === 'string' ? payload.action : undefined,
    partitionKey: readPartitionKey(payload),
    payload,
    receivedAt: options.clock.now(),
  };
  const outcome = await record(() => options.store.recordDelivery(delivery));
  if (outcome === 'duplicate') {
    options.logger.info({ delivery: deliveryId, event }, 'webhook redelivered; already received');
    res.status(200).json({ status: 'duplicate' });
    options.metrics?.webhookDelivery(event, 'duplicate');
    return;
  }
  // 200 rather than 202: GitHub counts any 2xx as delivered, and ignored events get the same answer.
  res.status(200).json({ status: 'accepted' });
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

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A random number in [0, 1), from a seed, so a failing run can be replayed. */
export type Random = () => number;

/** mulberry32: small, fast and good enough to pick targets and moments. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface FanOutOptions {
  /** The webhook URLs of the processes that are up now; a killed one is left out from then on. */
  readonly targets: () => readonly string[];
  /** How many distinct processes get each delivery at once. */
  readonly copies: number;
  /** The share of deliveries sent once more, to one process, with the same delivery id, a little later. */
  readonly redeliverShare: number;
  /** How much later, at most: a redelivery is sent after a random wait below this. */
  readonly redeliverWithinMs: number;
  readonly random: Random;
}

export interface Forwarded {
  readonly event: string;
  readonly deliveryId: string;
  readonly target: string;
  /** 0 when the process could not be reached. */
  readonly status: number;
  readonly redelivery: boolean;
}

export interface WebhookFanOut {
  /** Give this to the GitHub stand-in as its webhookUrl. */
  readonly url: string;
  readonly forwarded: readonly Forwarded[];
  /** Deliveries no process took (every attempt failed): each one is a lost webhook. */
  readonly undelivered: readonly string[];
  /** Resolves once every delivery and redelivery scheduled so far has been answered. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

interface Delivery {
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly event: string;
  readonly deliveryId: string;
}

// The headers GitHub sends that a receiver may read; hop-by-hop ones are fetch's business.
const FORWARDED_HEADERS = [
  'content-type',
  'user-agent',
  'x-github-event',
  'x-github-delivery',
  'x-github-hook-id',
  'x-github-hook-installation-target-id',
  'x-github-hook-installation-target-type',
  'x-hub-signature',
  'x-hub-signature-256',
];

// A delivery no chosen process took is offered to the live ones again, as GitHub's "redeliver" would be.
const RETRY_ROUNDS = 50;
const RETRY_PAUSE_MS = 100;

async function readDelivery(request: IncomingMessage): Promise<Delivery> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return {
    headers,
    body: Buffer.concat(chunks),
    event: headers['x-github-event'] ?? '',
    deliveryId: headers['x-github-delivery'] ?? '',
  };
}

function pick<T>(items: readonly T[], count: number, random: Random): T[] {
  const pool = [...items];
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0) {
    chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0] as T);
  }
  return chosen;
}

/**
 * Stands between the GitHub stand-in and several deploybot processes, as a load balancer that
 * duplicates would: each signed delivery goes, byte for byte, to `copies` processes at once,
 * and some are redelivered later with the same delivery id. A delivery no process took is
 * listed in `undelivered`.
 */
export async function startWebhookFanOut(options: FanOutOptions): Promise<WebhookFanOut> {
  const forwarded: Forwarded[] = [];
  const undelivered: string[] = [];
  const pending = new Set<Promise<unknown>>();
  const track = <T>(promise: Promise<T>): Promise<T> => {
    pending.add(promise);
    const done = () => pending.delete(promise);
    promise.then(done, done);
    return promise;
  };

  async function post(delivery: Delivery, target: string, redelivery: boolean): Promise<number> {
    let status = 0;
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: delivery.headers,
        body: new Uint8Array(delivery.body),
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      status = response.status;
    } catch {
      // A killed process: status 0, and the delivery is offered elsewhere.
    }
    forwarded.push({ event: delivery.event, deliveryId: delivery.deliveryId, target, status, redelivery });
    return status;
  }

  async function deliverSomewhere(delivery: Delivery, redelivery: boolean): Promise<number> {
    // A redelivery, like GitHub's "Redeliver", goes to one process; the first delivery to `copies`.
    const first = pick(options.targets(), redelivery ? 1 : options.copies, options.random);
    let statuses = await Promise.all(first.map((target) => post(delivery, target, redelivery)));
    for (let round = 0; !statuses.some(isOk) && round < RETRY_ROUNDS; round++) {
      await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
      statuses = await Promise.all(options.targets().map((target) => post(delivery, target, redelivery)));
    }
    if (!statuses.some(isOk)) undelivered.push(`${delivery.event} ${delivery.deliveryId}`);
    return statuses.find(isOk) ?? Math.max(0, ...statuses);
  }

  // One chain per repository: GitHub's order within a repository is kept, repositories go in parallel.
  const chains = new Map<string, Promise<unknown>>();
  function enqueue(delivery: Delivery): void {
    const key = delivery.headers['x-github-hook-installation-target-id'] ?? '';
    const next = (chains.get(key) ?? Promise.resolve()).then(async () => {
      await deliverSomewhere(delivery, false);
      if (options.random() < options.redeliverShare) {
        const waitMs = Math.floor(options.random() * options.redeliverWithinMs);
        void track(
          new Promise((resolve) => setTimeout(resolve, waitMs)).then(() => deliverSomewhere(delivery, true)),
        );
      }
    });
    chains.set(key, next);
    void track(next);
  }

  // The stand-in is answered at once, so its one-at-a-time outbox never waits on the processes.
  const server: Server = createServer((request, response) => {
    void track(
      readDelivery(request).then((delivery) => {
        enqueue(delivery);
        response.writeHead(202, { 'content-type': 'text/plain' });
        response.end();
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/github/webhooks`;
  return {
    url,
    forwarded,
    undelivered,
    async settled() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function isOk(status: number): boolean {
  return status >= 200 && status < 300;
}

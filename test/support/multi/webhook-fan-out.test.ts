import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { deliverWebhook } from '../../../src/stand-ins/github/webhook-delivery.js';
import { seededRandom, startWebhookFanOut, type WebhookFanOut } from './webhook-fan-out.js';

interface Received {
  readonly target: string;
  readonly deliveryId: string | undefined;
  readonly signature: string | undefined;
  readonly body: string;
}

async function startReceiver(name: string, received: Received[]): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        target: name,
        deliveryId: request.headers['x-github-delivery'] as string | undefined,
        signature: request.headers['x-hub-signature-256'] as string | undefined,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/github/webhooks` };
}

describe('the webhook fan-out of the multi-process test', () => {
  const servers: Server[] = [];
  let fanOut: WebhookFanOut | undefined;
  afterEach(async () => {
    await fanOut?.close();
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  });

  it('sends each delivery, byte for byte with its id and signature, to two processes, and again later', async () => {
    const received: Received[] = [];
    const receivers = await Promise.all(['a', 'b', 'c'].map((name) => startReceiver(name, received)));
    servers.push(...receivers.map((r) => r.server));
    fanOut = await startWebhookFanOut({
      targets: () => receivers.map((r) => r.url),
      copies: 2,
      redeliverShare: 1,
      redeliverWithinMs: 10,
      random: seededRandom(7),
    });
    const payload = { repository: { id: 42 }, action: 'created' };
    const sent = await deliverWebhook(fanOut.url, 'deployment', payload, {
      secret: 's3cret',
      deliveryId: 'd-1',
    });
    expect(sent.status).toBe(202);
    await fanOut.settled();

    expect(received).toHaveLength(3);
    expect(new Set(received.slice(0, 2).map((r) => r.target)).size).toBe(2);
    for (const r of received) {
      expect(r).toMatchObject({ deliveryId: 'd-1', body: JSON.stringify(payload) });
      expect(r.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    }
    expect(fanOut.forwarded.map((f) => f.redelivery)).toEqual([false, false, true]);
    expect(fanOut.undelivered).toEqual([]);
  });

  it('offers a delivery no chosen process took to the live ones, and lists one nobody took', async () => {
    const received: Received[] = [];
    const live = await startReceiver('live', received);
    servers.push(live.server);
    const dead = 'http://127.0.0.1:1/github/webhooks';
    let targets = [dead, dead];
    fanOut = await startWebhookFanOut({
      targets: () => targets,
      copies: 2,
      redeliverShare: 0,
      redeliverWithinMs: 0,
      random: seededRandom(1),
    });
    const first = deliverWebhook(fanOut.url, 'deployment', { repository: { id: 1 } }, { deliveryId: 'd-2' });
    await first;
    // The next round of offers finds the live one.
    targets = [dead, live.url];
    await fanOut.settled();
    expect(received.map((r) => r.deliveryId)).toEqual(['d-2']);
    expect(fanOut.undelivered).toEqual([]);
  });
});

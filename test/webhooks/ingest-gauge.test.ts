import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createIngestGauge } from '../../src/webhooks/ingest-gauge.js';
import { createWebhookReceiver } from '../../src/webhooks/receiver.js';
import { signWebhookBody } from '../../src/webhooks/signature.js';
import { createMemoryStore } from '../support/memory/memory-store.js';

describe('the ingest gauge', () => {
  it.each([
    [0, 3, false],
    [2, 3, false],
    [3, 3, true],
    [4, 3, true],
    [1, 1, true],
  ])('with %i requests under way and pressed at %i: pressed %s', (under, at, pressed) => {
    const gauge = createIngestGauge({ pressedAt: at, holdMs: 0, clock: { now: () => 1_000 } });
    for (let i = 0; i < under; i++) gauge.enter();
    expect(gauge.pressed()).toBe(pressed);
  });

  it('is not pressed again until as many left as entered', () => {
    const gauge = createIngestGauge({ pressedAt: 2, holdMs: 0, clock: { now: () => 1_000 } });
    gauge.enter();
    gauge.enter();
    gauge.leave();
    expect(gauge.pressed()).toBe(false);
    gauge.enter();
    expect(gauge.pressed()).toBe(true);
  });

  it('stays pressed for its hold after the count last reached the mark, through the dips of a flood', () => {
    let now = 1_000;
    const gauge = createIngestGauge({ pressedAt: 2, holdMs: 500, clock: { now: () => now } });
    gauge.enter();
    expect(gauge.pressed()).toBe(false);
    gauge.enter();
    gauge.leave();
    gauge.leave();
    now = 1_499;
    expect(gauge.pressed()).toBe(true);
    // Back at the mark: the hold starts again from here.
    gauge.enter();
    gauge.enter();
    gauge.leave();
    gauge.leave();
    now = 1_998;
    expect(gauge.pressed()).toBe(true);
    now = 1_999;
    expect(gauge.pressed()).toBe(false);
    // One request alone never presses it, however long ago the last flood was.
    gauge.enter();
    expect(gauge.pressed()).toBe(false);
  });
});

describe('the receiver on the gauge', () => {
  it('counts each request from its first byte to its answer, stored or refused', async () => {
    const memory = createMemoryStore();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let now = 1_000;
    const gauge = createIngestGauge({ pressedAt: 3, holdMs: 1_000, clock: { now: () => now } });
    const receiver = createWebhookReceiver({
      secret: 'gauge-secret',
      bodyLimitBytes: 100_000,
      store: {
        ...memory,
        recordDelivery: async (delivery) => {
          await held;
          return memory.recordDelivery(delivery);
        },
      },
      clock: { now: () => 1_000 },
      logger: createLogger({ level: 'silent' }),
      handles: () => true,
      keep: (_event, payload) => payload,
      gauge,
      onDelivery: () => undefined,
    });
    const server = createServer(receiver);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const post = (id: string, signature?: string) => {
      const body = JSON.stringify({ repository: { full_name: 'octo-org/web' } });
      return fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'status',
          'x-github-delivery': id,
          'x-hub-signature-256': signature ?? signWebhookBody('gauge-secret', body),
        },
        body,
      });
    };
    try {
      const answers = [post('d1'), post('d2'), post('d3')];
      while (!gauge.pressed()) await new Promise((resolve) => setTimeout(resolve, 5));
      // A refused request is counted while it is under way and let go with its answer.
      expect((await post('forged', `sha256=${'0'.repeat(64)}`)).status).toBe(401);
      expect(gauge.pressed()).toBe(true);
      release();
      expect((await Promise.all(answers)).map((r) => r.status)).toEqual([200, 200, 200]);
      // Past the hold, only what is under way now counts.
      now += 1_000;
      gauge.enter();
      gauge.enter();
      // Had any of the four not left, two more would press it.
      expect(gauge.pressed()).toBe(false);
    } finally {
      server.close();
    }
  });
});

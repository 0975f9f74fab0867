import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createHttpApp, finishHttpApp } from '../../src/http/server.js';

async function serve(health: () => Promise<void>): Promise<{ url: string; close: () => Promise<void> }> {
  const app = createHttpApp({ health, logger: pino({ level: 'silent' }) });
  app.get('/boom', () => {
    throw new Error('secret internals');
  });
  finishHttpApp(app, pino({ level: 'silent' }));
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('http server', () => {
  it.each([
    ['answers', async (): Promise<void> => undefined, 200, { status: 'ok' }],
    [
      'fails',
      async (): Promise<void> => {
        throw new Error('database is locked');
      },
      503,
      { status: 'unavailable' },
    ],
  ] as const)('healthz when the store %s', async (_name, health, status, body) => {
    const s = await serve(health);
    try {
      const response = await fetch(`${s.url}/healthz`);
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual(body);
    } finally {
      await s.close();
    }
  });

  it('answers unknown routes with 404 and errors without a stack trace', async () => {
    const s = await serve(async () => undefined);
    try {
      const missing = await fetch(`${s.url}/nope`);
      expect(missing.status).toBe(404);
      const boom = await fetch(`${s.url}/boom`);
      expect(boom.status).toBe(500);
      const text = await boom.text();
      expect(text).not.toContain('secret internals');
      expect(text).not.toMatch(/\.ts:\d+/);
    } finally {
      await s.close();
    }
  });
});

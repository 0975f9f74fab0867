import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookFilter {
  /** Point the GitHub stand-in's webhookUrl here. */
  readonly url: string;
  /** Deliveries dropped, by event. */
  readonly dropped: string[];
  close(): Promise<void>;
}

/**
 * Sits between the GitHub stand-in and deploybot and drops the webhooks of the given events
 * (answering 200, as a lost delivery looks to GitHub), forwarding everything else as is.
 */
export async function startWebhookFilter(
  target: string,
  dropEvents: readonly string[],
): Promise<WebhookFilter> {
  const dropped: string[] = [];
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const event = String(request.headers['x-github-event'] ?? '');
    if (dropEvents.includes(event)) {
      dropped.push(event);
      response.writeHead(200).end('dropped');
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name)) {
        headers[name] = value;
      }
    }
    try {
      const forwarded = await fetch(target, { method: 'POST', headers, body: Buffer.concat(chunks) });
      response.writeHead(forwarded.status).end(await forwarded.text());
    } catch {
      response.writeHead(502).end('deploybot unreachable');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    dropped,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

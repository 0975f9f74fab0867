import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListeningHttp {
  readonly port: number;
  /** Stops accepting, closes every connection, kept-alive ones too, and resolves once closed. */
  close(): Promise<void>;
}

/**
 * Listens on `port` (0: any free one), on every interface unless `host` names one; rejects if it
 * cannot, the port taken, say.
 */
export async function listenHttp(
  port: number,
  listener: RequestListener,
  host?: string,
): Promise<ListeningHttp> {
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (host === undefined) server.listen(port, () => resolve());
    else server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Clients keep connections alive; without this, close would wait for them to idle out.
        server.closeAllConnections();
      }),
  };
}

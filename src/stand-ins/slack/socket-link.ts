import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import type { SocketAck, SocketEnvelopeType, WaitOptions } from './types.js';
import { APP_ID, type Workspace } from './workspace.js';

const ACK_TIMEOUT_MS = 3_000;
const CLOSE_GRACE_MS = 500;

export interface SocketLink {
  readonly connections: number;
  waitForConnection(opts?: WaitOptions): Promise<void>;
  sendEnvelope(type: SocketEnvelopeType, payload: object): Promise<SocketAck>;
  close(): Promise<void>;
}

function openClients(wss: WebSocketServer): WebSocket[] {
  return [...wss.clients].filter((client) => client.readyState === client.OPEN);
}

function closeGracefully(client: WebSocket): Promise<void> {
  if (client.readyState === client.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    // A peer that never answers the close frame must not hold the test run open.
    const timer = setTimeout(() => {
      client.terminate();
      resolve();
    }, CLOSE_GRACE_MS);
    client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    client.close(1001, 'stand-in closing');
  });
}

/** Serves Socket Mode on `/link`, accepting only tickets issued by apps.connections.open. */
export function attachSocketLink(server: Server, ws: Workspace): SocketLink {
  const wss = new WebSocketServer({ noServer: true });
  const pendingAcks = new Map<string, (ack: SocketAck) => void>();
  const connectionWaiters = new Set<() => void>();

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (url.pathname !== '/link' || !ws.redeemTicket(url.searchParams.get('ticket'))) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (client) => wss.emit('connection', client, req));
  });

  wss.on('connection', (client: WebSocket) => {
    // ws answers the client's pings with pongs on its own, which is all SlackWebSocket's heartbeat needs.
    client.on('message', (data, isBinary) => {
      if (isBinary) return;
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (typeof message !== 'object' || message === null || !('envelope_id' in message)) return;
      const ack = message as SocketAck;
      pendingAcks.get(ack.envelope_id)?.(ack);
    });
    client.send(
      JSON.stringify({
        type: 'hello',
        num_connections: openClients(wss).length,
        debug_info: { host: 'applink-stand-in', build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: APP_ID },
      }),
    );
    for (const notify of [...connectionWaiters]) notify();
  });

  return {
    get connections() {
      return openClients(wss).length;
    },
    waitForConnection(opts = {}) {
      if (openClients(wss).length > 0) return Promise.resolve();
      const timeoutMs = opts.timeoutMs ?? 5_000;
      const timeoutError = new Error(
        `Timed out after ${timeoutMs}ms waiting for ${opts.description ?? 'a Socket Mode connection'}`,
      );
      return new Promise((resolve, reject) => {
        const notify = () => {
          clearTimeout(timer);
          connectionWaiters.delete(notify);
          resolve();
        };
        const timer = setTimeout(() => {
          connectionWaiters.delete(notify);
          reject(timeoutError);
        }, timeoutMs);
        connectionWaiters.add(notify);
      });
    },
    sendEnvelope(type, payload) {
      // Slack delivers each envelope to one connection; the newest is the one a restarted app holds.
      const client = openClients(wss).at(-1);
      if (!client)
        return Promise.reject(new Error(`No Socket Mode connection to deliver a ${type} envelope to`));
      const envelopeId = randomUUID();
      const envelope =
        type === 'events_api'
          ? {
              envelope_id: envelopeId,
              type,
              payload,
              accepts_response_payload: false,
              retry_attempt: 0,
              retry_reason: '',
            }
          : { envelope_id: envelopeId, type, payload, accepts_response_payload: true };
      return new Promise<SocketAck>((resolve, reject) => {
        const timer = setTimeout(() => {
          pendingAcks.delete(envelopeId);
          reject(new Error(`No ack for ${type} envelope ${envelopeId} within ${ACK_TIMEOUT_MS}ms`));
        }, ACK_TIMEOUT_MS);
        pendingAcks.set(envelopeId, (ack) => {
          clearTimeout(timer);
          pendingAcks.delete(envelopeId);
          resolve(ack);
        });
        client.send(JSON.stringify(envelope), (error) => {
          if (!error) return;
          clearTimeout(timer);
          pendingAcks.delete(envelopeId);
          reject(error);
        });
      });
    },
    async close() {
      await Promise.all([...wss.clients].map(closeGracefully));
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

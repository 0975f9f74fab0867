import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The anchors read their secret from the environment, as deploybot does. */
export function benchSecret(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** Tells the bench runner where this server listens: one line on stdout. */
export function printListening(server: Server): void {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`listening ${port}\n`);
  // An exit rather than death by the signal: node --cpu-prof writes its profile only on exit.
  process.once('SIGTERM', () => process.exit(0));
}

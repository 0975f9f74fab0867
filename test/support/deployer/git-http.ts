import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveClone } from '../../../src/stand-ins/github/git-clones.js';

export interface GitHttpServer {
  /** e.g. http://127.0.0.1:PORT; repositories are served at URL/NAME. */
  readonly url: string;
  /** The Authorization header of every request, '' when absent. */
  readonly authorizations: string[];
  close(): Promise<void>;
}

/** Serves the bare repositories under `root` over smart HTTP, through git's own http-backend CGI. */
export async function startGitHttpServer(root: string): Promise<GitHttpServer> {
  const authorizations: string[] = [];
  const server: Server = createServer((request, response) => {
    authorizations.push(String(request.headers.authorization ?? ''));
    // The stand-in's own clone server, over every repository under `root`.
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    serveClone(request, response, root, { fullName: path, rest: path }, process.env.PATH ?? '/usr/bin:/bin');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    authorizations,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

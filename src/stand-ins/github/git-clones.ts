import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';

// What git asks for when it clones or fetches over smart HTTP; pushes (git-receive-pack) are refused.
const CLONE_PATH = /^\/([^/]+)\/([^/]+?)\.git(\/info\/refs|\/git-upload-pack)$/;

export interface CloneRequest {
  readonly fullName: string;
  /** e.g. /info/refs, what git-http-backend serves below the repository. */
  readonly rest: string;
}

/** The repository a request clones from, when it is git's smart HTTP on GitHub's `/{owner}/{name}.git`. */
export function matchCloneRequest(
  method: string | undefined,
  url: string | undefined,
): CloneRequest | undefined {
  const { pathname, searchParams } = new URL(url ?? '/', 'http://stand-in.invalid');
  const match = CLONE_PATH.exec(pathname);
  if (!match) return undefined;
  const [, owner, name, rest] = match as unknown as [string, string, string, string];
  if (rest === '/info/refs' && (method !== 'GET' || searchParams.get('service') !== 'git-upload-pack')) {
    return undefined;
  }
  if (rest === '/git-upload-pack' && method !== 'POST') return undefined;
  return { fullName: `${owner}/${name}`, rest };
}

/**
 * The password of git's Basic credentials (GitHub takes a token as the password, any user name),
 * or undefined when the request carries none.
 */
export function gitPasswordOf(request: IncomingMessage): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

/** A clone or fetch let in, from the bare repository `bareDir`, or refused as GitHub does: 401. */
export function answerClone(
  request: IncomingMessage,
  response: ServerResponse,
  admitted: { readonly clone: CloneRequest; readonly bareDir: string; readonly path: string } | undefined,
): void {
  if (!admitted) {
    request.resume();
    response.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"' }).end();
    return;
  }
  serveClone(request, response, admitted.bareDir, admitted.clone, admitted.path);
}

/** Answers a clone or fetch from the bare repository `bareDir`, through git's own http-backend CGI. */
export function serveClone(
  request: IncomingMessage,
  response: ServerResponse,
  bareDir: string,
  clone: CloneRequest,
  path: string,
): void {
  const url = new URL(request.url ?? '/', 'http://stand-in.invalid');
  const cgi = spawn('git', ['http-backend'], {
    env: {
      PATH: path,
      GIT_PROJECT_ROOT: bareDir,
      GIT_HTTP_EXPORT_ALL: '1',
      REQUEST_METHOD: request.method ?? 'GET',
      PATH_INFO: clone.rest,
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: String(request.headers['content-type'] ?? ''),
      GIT_PROTOCOL: String(request.headers['git-protocol'] ?? ''),
      REMOTE_ADDR: '127.0.0.1',
    },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  request.pipe(cgi.stdin);
  const chunks: Buffer[] = [];
  cgi.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  cgi.on('error', () => response.writeHead(500).end());
  cgi.on('close', () => {
    const output = Buffer.concat(chunks);
    const split = output.indexOf('\r\n\r\n');
    if (split < 0) {
      response.writeHead(500).end();
      return;
    }
    let status = 200;
    for (const line of output.subarray(0, split).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else if (name) response.setHeader(name, value);
    }
    response.writeHead(status).end(output.subarray(split + 4));
  });
}

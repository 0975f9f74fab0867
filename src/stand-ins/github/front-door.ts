import { type AccessSettings, identifyCaller, refuseCall } from './access-control.js';
import { AppRegistry, type Permissions } from './app-registry.js';
import type { Reply } from './http-exchange.js';
import { answerNewAppPage, type ReceivedManifest } from './manifest-pages.js';
import { GITHUB_WEB, replaceInStrings } from './payload-basics.js';
import type { RecordedRequest } from './request-log.js';
import { type Caller, replyNotFound } from './rest-kit.js';
import { loadRestOperations, type RestOperations } from './rest-operations.js';

// GitHub Enterprise Server serves its API below this path, its web pages at the root.
export const ENTERPRISE_API_PREFIX = '/api/v3';
const ANONYMOUS: Caller = { kind: 'anonymous' };

export interface FrontDoorSettings {
  readonly token: string | undefined;
  readonly tokenPermissions: Permissions | undefined;
  readonly tokenScopes: readonly string[] | undefined;
  readonly tokenLifetimeMs: number | undefined;
  readonly now: () => number;
  readonly enterprise: boolean;
  readonly webUrl: () => string;
  /** Calls that are not documented GitHub operations, or break their query or body schema, go here. */
  readonly recordSchemaError: (message: string) => void;
}

/**
 * What GitHub does with a request before its REST handlers see it: web pages (the manifest
 * flow's "new App" page), the GitHub Enterprise Server API prefix, who the caller is, the
 * published operations, what the caller may reach; and after: the scopes header, web URLs.
 */
export class FrontDoor {
  readonly receivedManifests: ReceivedManifest[] = [];
  readonly apps: AppRegistry;
  private readonly operations: RestOperations = loadRestOperations();
  private readonly access: AccessSettings;
  private current: Caller = ANONYMOUS;

  constructor(private readonly settings: FrontDoorSettings) {
    this.apps = new AppRegistry(settings.tokenLifetimeMs ?? 3_600_000, settings.now);
    this.access = { token: settings.token, tokenPermissions: settings.tokenPermissions };
  }

  /** Whether git's Basic password lets a clone of `fullName` in, as the same token would let an API call in. */
  admitsGitPassword(password: string | undefined, fullName: string): boolean {
    if (password === undefined) return this.access.token === undefined;
    const caller = identifyCaller(this.apps, this.access, `token ${password}`);
    // Reading a repository's contents is what a clone needs (Contents: read for a fine-grained token or an App).
    return (
      'kind' in caller && refuseCall(caller, this.access, 'GET', `/repos/${fullName}/contents`) === undefined
    );
  }

  /** The caller of the request being answered (handlers run synchronously inside `answer`). */
  caller(): Caller {
    return this.current;
  }

  answer(request: RecordedRequest, route: (call: RecordedRequest) => Reply): Reply {
    const page = answerNewAppPage(this.apps, request, this.receivedManifests);
    if (page) return page;
    const path = this.apiPathOf(request.path);
    if (path === undefined) return replyNotFound();
    const caller = identifyCaller(this.apps, this.access, request.headers.authorization);
    if (!('kind' in caller)) return caller;
    const call = path === request.path ? request : { ...request, path };
    for (const problem of this.operations.check(call)) this.settings.recordSchemaError(problem);
    const refused = refuseCall(caller, this.access, request.method, path);
    if (refused) return refused;
    this.current = caller;
    try {
      return this.onWebHost(this.withScopes(caller, route(call)));
    } finally {
      this.current = ANONYMOUS;
    }
  }

  /** The API path of a request: below /api/v3 on GitHub Enterprise Server; undefined outside it. */
  private apiPathOf(path: string): string | undefined {
    if (!this.settings.enterprise) return path;
    return path.startsWith(`${ENTERPRISE_API_PREFIX}/`)
      ? path.slice(ENTERPRISE_API_PREFIX.length)
      : undefined;
  }

  /** GitHub names a classic token's scopes on every answer to it. */
  private withScopes(caller: Caller, reply: Reply): Reply {
    const scopes = this.settings.tokenScopes;
    if (caller.kind !== 'token' || scopes === undefined) return reply;
    return { ...reply, headers: { ...reply.headers, 'x-oauth-scopes': scopes.join(', ') } };
  }

  private onWebHost(reply: Reply): Reply {
    const webUrl = this.settings.webUrl();
    if (webUrl === GITHUB_WEB || reply.body === undefined) return reply;
    return { ...reply, body: replaceInStrings(reply.body, `${GITHUB_WEB}/`, `${webUrl}/`) };
  }
}

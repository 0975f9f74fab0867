import { type AppRegistry, covers, looksLikeJwt, type Permissions } from './app-registry.js';
import type { Reply } from './http-exchange.js';
import { type Caller, DOCS, replyError, replyNotFound } from './rest-kit.js';

const AUTHORIZATION = /^(?:token|bearer)\s+(.+)$/i;
const RANK: Record<string, number> = { none: 0, read: 1, write: 2, admin: 3 };

export interface AccessSettings {
  /** The stand-in's own token; undefined: any token (or none) is let in. */
  readonly token: string | undefined;
  /** What the stand-in's token may do, as for a fine-grained token; unset permissions are granted. */
  readonly tokenPermissions: Permissions | undefined;
}

/** Who the Authorization header names, or GitHub's 401 for a credential it does not take. */
export function identifyCaller(
  apps: AppRegistry,
  settings: AccessSettings,
  header: string | undefined,
): Caller | Reply {
  const credential = AUTHORIZATION.exec(header ?? '')?.[1]?.trim();
  if (credential === undefined) {
    return settings.token === undefined ? { kind: 'token' } : { kind: 'anonymous' };
  }
  if (credential === settings.token) return { kind: 'token' };
  if (looksLikeJwt(credential)) {
    const checked = apps.verifyJwt(credential);
    return checked.ok ? { kind: 'app', app: checked.app } : replyError(401, checked.message, DOCS);
  }
  const issued = apps.lookUpToken(credential);
  if (issued && !issued.expired) {
    return {
      kind: 'installation',
      installation: issued.installation,
      app: apps.requireApp(issued.installation.appId),
    };
  }
  if (issued || settings.token !== undefined) return replyError(401, 'Bad credentials', DOCS);
  return { kind: 'token' };
}

/** The permission GitHub checks for a call under /repos/{owner}/{repo}. */
export function permissionFor(method: string, rest: string): [name: string, level: string] | undefined {
  const level = method === 'GET' || method === 'HEAD' ? 'read' : 'write';
  if (rest === '') return ['metadata', 'read'];
  if (/^\/deployments(\/|$)/.test(rest)) return ['deployments', level];
  if (/^\/commits\/[^/]+\/(status|statuses)$/.test(rest) || /^\/statuses\//.test(rest))
    return ['statuses', level];
  if (/^\/commits\/[^/]+\/check-(runs|suites)$/.test(rest) || /^\/check-/.test(rest))
    return ['checks', level];
  if (/^\/(commits|compare|contents|git)(\/|$)/.test(rest)) return ['contents', level];
  if (/^\/pulls(\/|$)/.test(rest)) return ['pull_requests', level];
  return undefined;
}

function grants(permissions: Permissions, [name, level]: [string, string]): boolean {
  return (RANK[permissions[name] ?? 'none'] ?? 0) >= (RANK[level] ?? 0);
}

const APP_PATHS =
  /^\/(app(\/|$)|app-manifests\/|(repos\/[^/]+\/[^/]+|orgs\/[^/]+|users\/[^/]+)\/installation$)/;

/**
 * What GitHub answers before it looks at a call: nothing (undefined) when the caller may make
 * it. Installation tokens reach only their installation's repositories (others are 404, as
 * GitHub hides them) and only with its permissions; App JWTs reach only App endpoints.
 */
export function refuseCall(
  caller: Caller,
  settings: AccessSettings,
  method: string,
  path: string,
): Reply | undefined {
  if (APP_PATHS.test(path)) return undefined;
  if (caller.kind === 'anonymous') return replyError(401, 'Bad credentials', DOCS);
  if (caller.kind === 'app') return replyError(401, 'A JSON web token could not be decoded', DOCS);
  const repository = /^\/repos\/([^/]+)\/([^/]+)(.*)$/.exec(path);
  if (caller.kind === 'installation') {
    if (!repository) return replyError(403, 'Resource not accessible by integration', DOCS);
    const fullName = `${decodeURIComponent(repository[1]!)}/${decodeURIComponent(repository[2]!)}`;
    if (!covers(caller.installation, fullName)) return replyNotFound();
    const needed = permissionFor(method, repository[3] ?? '');
    if (needed && !grants(caller.installation.permissions, needed)) {
      return replyError(403, 'Resource not accessible by integration', DOCS);
    }
    return undefined;
  }
  const needed = repository && permissionFor(method, repository[3] ?? '');
  if (needed && settings.tokenPermissions && !grants({ ...ALL, ...settings.tokenPermissions }, needed)) {
    return replyError(403, 'Resource not accessible by personal access token', DOCS);
  }
  return undefined;
}

const ALL: Permissions = {
  metadata: 'read',
  deployments: 'write',
  statuses: 'write',
  checks: 'write',
  contents: 'write',
  pull_requests: 'write',
};

import type { ErrorObject } from 'ajv';
import type { AppRegistry, StandInApp, StandInInstallation } from './app-registry.js';
import type { DeploymentStore, StoredDeployment, StoredStatus } from './deployment-store.js';
import type { RateLimitSnapshot, Reply } from './http-exchange.js';
import type { OpenApiValidators } from './openapi-validators.js';
import type { RepositoryRecord } from './repository-state.js';
import type { RecordedRequest } from './request-log.js';

/** Who sent the request being answered, by its Authorization header. */
export type Caller =
  | { readonly kind: 'anonymous' }
  /** The stand-in's token (or any token, when it was started without one). */
  | { readonly kind: 'token' }
  | { readonly kind: 'app'; readonly app: StandInApp }
  | { readonly kind: 'installation'; readonly app: StandInApp; readonly installation: StandInInstallation };

/** What the REST handlers need from the stand-in, kept narrow so handlers stay plain functions. */
export interface StandInCore {
  apiUrl(): string;
  /** Where GitHub's web pages are: https://github.com, or the stand-in itself as GitHub Enterprise Server. */
  webUrl(): string;
  /** The login behind the caller: creator of everything deploybot creates. */
  readonly login: string;
  caller(): Caller;
  apps: AppRegistry;
  findRepository(owner: string, name: string): RepositoryRecord | undefined;
  store: DeploymentStore;
  validators: OpenApiValidators;
  recordSchemaError(message: string): void;
  describeRateLimit(): RateLimitSnapshot;
  announceDeployment(repository: RepositoryRecord, deployment: StoredDeployment): void;
  announceStatus(repository: RepositoryRecord, deployment: StoredDeployment, status: StoredStatus): void;
}

export type RepositoryHandler = (
  core: StandInCore,
  request: RecordedRequest,
  repository: RepositoryRecord,
  params: string[],
) => Reply;

export interface Route {
  method: string;
  pattern: RegExp;
  handle: (core: StandInCore, request: RecordedRequest, params: string[]) => Reply;
}

export const DOCS = 'https://docs.github.com/rest';

export function replyNotFound(documentationUrl = DOCS): Reply {
  return { status: 404, body: { message: 'Not Found', documentation_url: documentationUrl, status: '404' } };
}

export function replyError(status: number, message: string, documentationUrl: string, extra = {}): Reply {
  return { status, body: { message, ...extra, documentation_url: documentationUrl, status: String(status) } };
}

/** A body that is present but not JSON gets GitHub's 400 before any validation happens. */
export function rejectUnparsableBody(request: RecordedRequest, documentationUrl: string): Reply | undefined {
  if (request.rawBody.trim() === '' || request.body !== undefined) return undefined;
  return replyError(400, 'Problems parsing JSON', documentationUrl);
}

/** GitHub's validation-error items, translated from Ajv's. */
export function toValidationErrors(resource: string, errors: ErrorObject[]): Record<string, unknown>[] {
  return errors.map((error) => {
    if (error.keyword === 'required') {
      return { resource, field: String(error.params.missingProperty), code: 'missing_field' };
    }
    const field = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
    return {
      resource,
      field,
      code: 'invalid',
      message: `${field || 'body'} ${error.message ?? 'is invalid'}`,
    };
  });
}

/** Validates a JSON body against a request schema; a failure is recorded and answered with 422. */
export function rejectInvalidBody(
  core: StandInCore,
  request: RecordedRequest,
  check: (body: unknown) => { valid: boolean; messages: string[]; errors: ErrorObject[] },
  resource: string,
  documentationUrl: string,
): Reply | undefined {
  const result = check(request.body ?? {});
  if (result.valid) return undefined;
  core.recordSchemaError(`${request.method} ${request.path}: ${result.messages.join('; ')}`);
  return replyError(422, 'Invalid request.', documentationUrl, {
    errors: toValidationErrors(resource, result.errors),
  });
}

/** Slices a list by `per_page`/`page` and adds the Link header Octokit's paginate follows. */
export function paginate<T>(
  core: StandInCore,
  request: RecordedRequest,
  items: readonly T[],
): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number.parseInt(request.query.per_page ?? '', 10) || 30));
  const page = Math.max(1, Number.parseInt(request.query.page ?? '', 10) || 1);
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const linkTo = (target: number, rel: string) => {
    const query = new URLSearchParams({ ...request.query, per_page: String(perPage), page: String(target) });
    return `<${core.apiUrl()}${request.path}?${query}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(linkTo(page - 1, 'prev'), linkTo(1, 'first'));
  if (page < lastPage) links.push(linkTo(page + 1, 'next'), linkTo(lastPage, 'last'));
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : {},
  };
}

function decodeParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** A route under /repos/:owner/:repo that answers 404 for repositories the test did not add. */
export function defineRepositoryRoute(method: string, suffix: string, handle: RepositoryHandler): Route {
  return {
    method,
    pattern: new RegExp(`^/repos/([^/]+)/([^/]+)${suffix}$`),
    handle: (core, request, [owner = '', name = '', ...params]) => {
      const repository = core.findRepository(owner, name);
      if (!repository) return replyNotFound(`${DOCS}/repos/repos#get-a-repository`);
      return handle(core, request, repository, params);
    },
  };
}

export function routeRequest(routes: readonly Route[], core: StandInCore, request: RecordedRequest): Reply {
  for (const route of routes) {
    if (route.method !== request.method) continue;
    const match = route.pattern.exec(request.path);
    if (match) return route.handle(core, request, match.slice(1).map(decodeParam));
  }
  return replyNotFound();
}

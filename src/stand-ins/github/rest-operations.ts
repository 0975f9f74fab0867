import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import type { FormatsPlugin } from 'ajv-formats';
import type { RecordedRequest } from './request-log.js';

const addFormats = createRequire(import.meta.url)('ajv-formats') as FormatsPlugin;

// Every operation of GitHub's REST API, from @octokit/openapi (see test/fixtures/README.md).
// A copy of dist/ without test/fixtures runs the stand-in unchecked.
export const REST_OPERATIONS_FILE = new URL(
  '../../../test/fixtures/github-rest-operations.json',
  import.meta.url,
);

// The deployment routes check these bodies against the fuller deployments schema; once is enough.
const BODIES_CHECKED_BY_ROUTES = new Set(['repos/create-deployment', 'repos/create-deployment-status']);

interface QuerySchema {
  readonly type?: string;
  readonly enum?: readonly unknown[];
}

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly operationId: string;
  readonly query: Readonly<Record<string, QuerySchema>>;
  readonly body?: object;
}

interface CompiledOperation extends Operation {
  readonly pattern: RegExp;
  readonly params: number;
  checkBody?: ValidateFunction;
}

/** Holds every API call against GitHub's published operations: the path, its query and its body. */
export interface RestOperations {
  /** Empty when the request is a documented operation with documented query parameters and body. */
  check(request: Pick<RecordedRequest, 'method' | 'path' | 'query' | 'body'>): string[];
}

function compile(operation: Operation): CompiledOperation {
  const source = operation.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
  return {
    ...operation,
    pattern: new RegExp(`^${source}$`),
    params: (operation.path.match(/\{/g) ?? []).length,
  };
}

function queryMatches(schema: QuerySchema, value: string): boolean {
  if (schema.enum && !schema.enum.map(String).includes(value)) return false;
  if (schema.type === 'integer') return /^-?\d+$/.test(value);
  if (schema.type === 'boolean') return value === 'true' || value === 'false';
  return true;
}

/** What the stand-in uses without the operations file: every call passes. */
const UNCHECKED: RestOperations = { check: () => [] };

/** Every published operation, compiled; checks nothing when the file is absent (see REST_OPERATIONS_FILE). */
export function loadRestOperations(file: URL = REST_OPERATIONS_FILE): RestOperations {
  if (!existsSync(file)) return UNCHECKED;
  const document = JSON.parse(readFileSync(file, 'utf8')) as { operations: Operation[] };
  const operations = document.operations.map(compile);
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);

  const find = (method: string, path: string): CompiledOperation | undefined =>
    operations
      .filter((operation) => operation.method === method && operation.pattern.test(path))
      // A literal segment beats a parameter: /repos/{o}/{r}/installation over any /{x}.
      .sort((a, b) => a.params - b.params)[0];

  return {
    check(request) {
      const operation = find(request.method, request.path);
      const where = `${request.method} ${request.path}`;
      if (!operation) return [`${where}: not a documented GitHub REST operation`];
      const problems: string[] = [];
      for (const [name, value] of Object.entries(request.query)) {
        const schema = operation.query[name];
        if (!schema) problems.push(`${where}: ${operation.operationId} has no query parameter "${name}"`);
        else if (!queryMatches(schema, value)) {
          problems.push(`${where}: query parameter "${name}" is "${value}", not ${JSON.stringify(schema)}`);
        }
      }
      if (
        operation.body &&
        request.body !== undefined &&
        !BODIES_CHECKED_BY_ROUTES.has(operation.operationId)
      ) {
        operation.checkBody ??= ajv.compile(operation.body);
        if (!operation.checkBody(request.body)) {
          for (const error of operation.checkBody.errors ?? []) {
            problems.push(`${where}: body${error.instancePath.replaceAll('/', '.')} ${error.message ?? ''}`);
          }
        }
      }
      return problems;
    },
  };
}

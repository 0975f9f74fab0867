import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { FormatsPlugin } from 'ajv-formats';

// ajv-formats is CommonJS with a default export; under NodeNext a default import is typed as the
// module namespace, so load it the way Node actually resolves it.
const addFormats = createRequire(import.meta.url)('ajv-formats') as FormatsPlugin;

// In a clone of the repository; a copy of dist/ without test/fixtures runs the stand-in unchecked.
export const DEPLOYMENTS_SCHEMA_FILE = new URL(
  '../../../test/fixtures/github-deployments.schema.json',
  import.meta.url,
);

export interface SchemaCheck {
  readonly valid: boolean;
  /** One line per failure, e.g. `body must have required property 'ref'`. */
  readonly messages: string[];
  readonly errors: ErrorObject[];
}

export interface OpenApiValidators {
  checkCreateDeploymentRequest(body: unknown): SchemaCheck;
  checkCreateDeploymentStatusRequest(body: unknown): SchemaCheck;
  checkDeploymentResponse(body: unknown): SchemaCheck;
  checkDeploymentStatusResponse(body: unknown): SchemaCheck;
}

type SchemaNode = Record<string, unknown>;

/**
 * OpenAPI 3.0 says "null allowed" with `nullable: true`, which JSON Schema (and so Ajv) does not
 * know; rewrite it into the JSON Schema spelling so nullable fields are neither rejected nor
 * silently unchecked.
 */
function convertNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convertNullable);
  if (node === null || typeof node !== 'object') return node;
  const converted: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'nullable') converted[key] = convertNullable(value);
  }
  if ((node as SchemaNode).nullable !== true) return converted;
  if (typeof converted.type === 'string') converted.type = [converted.type, 'null'];
  if (Array.isArray(converted.enum)) converted.enum = [...converted.enum, null];
  if (converted.type === undefined && converted.enum === undefined) {
    return { anyOf: [converted, { type: 'null' }] };
  }
  return converted;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const where = `body${error.instancePath.replaceAll('/', '.')}`;
    return `${where} ${error.message ?? 'is invalid'}`;
  });
}

function wrapValidator(validate: ValidateFunction): (body: unknown) => SchemaCheck {
  return (body) => {
    const valid = validate(body);
    const errors = valid ? [] : [...(validate.errors ?? [])];
    return { valid, messages: describeErrors(errors), errors };
  };
}

const PASS: SchemaCheck = { valid: true, messages: [], errors: [] };

/** What the stand-in uses without the schema file: every body passes. */
const UNCHECKED: OpenApiValidators = {
  checkCreateDeploymentRequest: () => PASS,
  checkCreateDeploymentStatusRequest: () => PASS,
  checkDeploymentResponse: () => PASS,
  checkDeploymentStatusResponse: () => PASS,
};

/**
 * Compiles the request and response schemas of the deployments extract once per stand-in; when
 * the file is absent (no test/fixtures beside dist/), checks nothing rather than refusing to start.
 */
export function loadOpenApiValidators(file: URL = DEPLOYMENTS_SCHEMA_FILE): OpenApiValidators {
  if (!existsSync(file)) return UNCHECKED;
  const document = convertNullable(JSON.parse(readFileSync(file, 'utf8'))) as SchemaNode;
  // strict:false because the extract carries OpenAPI-only keywords such as `example`.
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  // GitHub answers "" for URL fields that were never set (target_url, log_url, environment_url)
  // although the spec declares them `format: uri`; accept exactly that quirk, nothing more.
  const checkUri = addFormats.get('uri') as (value: string) => boolean;
  ajv.addFormat('uri', { type: 'string', validate: (value: string) => value === '' || checkUri(value) });
  ajv.addSchema({ components: document.components }, 'openapi');

  // Rebase the extract's local `#/components/...` refs onto the registered document.
  const compile = (section: 'requests' | 'responses', name: string) => {
    const schema = (document[section] as SchemaNode)[name];
    const rebased = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'));
    return wrapValidator(ajv.compile(rebased as SchemaNode));
  };

  return {
    checkCreateDeploymentRequest: compile('requests', 'createDeployment'),
    checkCreateDeploymentStatusRequest: compile('requests', 'createDeploymentStatus'),
    checkDeploymentResponse: compile('responses', 'createDeployment'),
    checkDeploymentStatusResponse: compile('responses', 'createDeploymentStatus'),
  };
}

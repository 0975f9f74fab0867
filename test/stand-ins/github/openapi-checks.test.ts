import { describe, expect, it } from 'vitest';
import { loadOpenApiValidators } from '../../../src/stand-ins/github/openapi-validators.js';
import { loadRestOperations } from '../../../src/stand-ins/github/rest-operations.js';

const ABSENT = new URL('./no-such-fixture.json', import.meta.url);
const UNDOCUMENTED = { method: 'GET', path: '/repos/o/r/not-an-endpoint', query: {}, body: undefined };

describe("the GitHub stand-in's OpenAPI checks", () => {
  // Tests run from a clone, where the fixtures are: every stand-in there must hold calls to GitHub's spec.
  it('hold calls and bodies against the fixtures when they are present', () => {
    expect(loadRestOperations().check(UNDOCUMENTED)).toEqual([
      'GET /repos/o/r/not-an-endpoint: not a documented GitHub REST operation',
    ]);
    const check = loadOpenApiValidators().checkCreateDeploymentRequest({});
    expect(check.valid).toBe(false);
    expect(check.messages).toContain("body must have required property 'ref'");
  });

  it('check nothing when the fixtures are absent, so the playground runs without test/fixtures', () => {
    expect(loadRestOperations(ABSENT).check(UNDOCUMENTED)).toEqual([]);
    expect(loadOpenApiValidators(ABSENT).checkCreateDeploymentRequest({})).toEqual({
      valid: true,
      messages: [],
      errors: [],
    });
  });
});

import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { stringify } from 'yaml';
import { parseConfig } from '../../src/config/config-file.js';
import { problemsOf } from '../../src/config/format-problems.js';
import { DeploybotError } from '../../src/core/errors.js';

const RUNS = { seed: 20261201, numRuns: 200 } as const;

const VALID = `
slack: { channel: C0DEPLOYS }
repos:
  octo-org/web:
    environments:
      staging: {}
`;

/** YAML shaped like deploybot.yml with hostile values, YAML of any JSON, and plain noise. */
const yamlText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.jsonValue({ maxDepth: 4 }).map((value) => stringify(value)),
  fc
    .record({
      slack: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.record({ channel: fc.string() })),
      repos: fc.dictionary(
        fc.string({ maxLength: 20 }),
        fc.record({
          environments: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 })),
        }),
        { maxKeys: 3 },
      ),
    })
    .map((value) => stringify(value)),
  // Anchors, aliases, merges, tags and duplicate keys.
  fc.constantFrom(
    'a: &a [*a]',
    'x: &x {<<: *x}',
    '!!js/function "f() {}"',
    'slack: 1\nslack: 2',
    `${VALID}\n      staging: {}`,
    'repos: !!binary aGVsbG8=',
    `a: &a ["lol","lol"]\nb: &b [*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c]`,
  ),
  fc
    .tuple(fc.nat({ max: VALID.length }), fc.string({ unit: 'binary', maxLength: 20 }))
    .map(([at, noise]) => VALID.slice(0, at) + noise + VALID.slice(at)),
);

describe('deploybot.yml against random YAML', () => {
  test.prop([yamlText], RUNS)('gives a config or a list of problems, never a crash', (text) => {
    let thrown: unknown;
    try {
      parseConfig(text, 'deploybot.yml');
      return;
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DeploybotError);
    expect((thrown as DeploybotError).code).toBe('config_invalid');
    const problems = problemsOf(thrown);
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem.message).not.toBe('');
  });
});

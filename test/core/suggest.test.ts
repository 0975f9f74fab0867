import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from '../../src/core/suggest.js';

const REPOS = ['web', 'website', 'api', 'backend', 'octo-org/web', 'octo-org/api', 'tooling'];
const ENVS = ['staging', 'stg', 'production', 'prod', 'live', 'preview'];

describe('suggest', () => {
  it.each<[string, string[], readonly string[]]>([
    // one swap of neighbouring letters is one edit
    ['wbe', ['web'], REPOS],
    ['prdo', ['prod', 'production'], ENVS],
    ['stagign', ['staging'], ENVS],
    ['prodcution', ['production'], ENVS],
    ['produciton', ['production'], ENVS],
    // insertions, deletions, substitutions
    ['wb', ['web'], REPOS],
    ['webb', ['web', 'website'], REPOS],
    ['aip', ['api'], REPOS],
    ['bakend', ['backend'], REPOS],
    ['octo-org/wbe', ['octo-org/web'], REPOS],
    // case is ignored, the candidate is returned as written
    ['WBE', ['web'], REPOS],
    ['PRDO', ['Prod', 'Production'], ['Prod', 'Production']],
    // prefixes
    ['prod', ['production'], ['production', 'preview']],
    ['webs', ['website', 'web'], REPOS],
    ['prev', ['preview'], ENVS],
    // garbage and nothing
    ['zzzzzz', [], REPOS],
    ['kubernetes', [], ENVS],
    ['x', [], ENVS],
    ['', [], REPOS],
    ['   ', [], REPOS],
    ['web', [], []],
  ])('%j → %j', (input, expected, candidates) => {
    expect(suggest(input, candidates)).toEqual(expected);
  });

  it('returns at most max, closest first', () => {
    const candidates = ['stage1', 'stage2', 'stage3', 'stage4', 'stage'];
    expect(suggest('stage', candidates)).toEqual(['stage', 'stage1', 'stage2']);
    expect(suggest('stage', candidates, 1)).toEqual(['stage']);
    expect(suggest('stage', candidates, 0)).toEqual([]);
  });

  it('lists a candidate once, however often it appears', () => {
    expect(suggest('wbe', ['web', 'WEB', 'web'])).toEqual(['web']);
  });
});

describe('editDistance', () => {
  it.each<[string, string, number]>([
    ['', '', 0],
    ['', 'abc', 3],
    ['web', 'web', 0],
    ['wbe', 'web', 1],
    ['ab', 'ba', 1],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3],
    ['production', 'prodcution', 1],
  ])('%j ↔ %j = %d', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import {
  describePermissions,
  findMissingPermissions,
  REQUIRED_GITHUB_PERMISSIONS,
} from '../../src/core/github-permissions.js';
import { findMissingScopes, REQUIRED_SLACK_SCOPES } from '../../src/core/slack-scopes.js';

describe('findMissingPermissions', () => {
  it.each<[string, Record<string, string>, string[]]>([
    ['everything', { ...REQUIRED_GITHUB_PERMISSIONS }, []],
    ['more than enough', { ...REQUIRED_GITHUB_PERMISSIONS, contents: 'write', administration: 'read' }, []],
    ['read where write is needed', { ...REQUIRED_GITHUB_PERMISSIONS, deployments: 'read' }, ['deployments']],
    ['nothing', {}, Object.keys(REQUIRED_GITHUB_PERMISSIONS)],
    ['an unknown level', { ...REQUIRED_GITHUB_PERMISSIONS, checks: 'maybe' }, ['checks']],
  ])('%s', (_name, granted, missing) => {
    expect(findMissingPermissions(granted).map((p) => p.name)).toEqual(missing);
  });

  it('says what is granted instead', () => {
    expect(findMissingPermissions({ deployments: 'read' }, { deployments: 'write', checks: 'read' })).toEqual(
      [
        { name: 'deployments', needed: 'write', granted: 'read' },
        { name: 'checks', needed: 'read', granted: 'none' },
      ],
    );
  });
});

describe('describePermissions', () => {
  it('words them as GitHub’s settings pages do', () => {
    expect(
      describePermissions([
        { name: 'deployments', needed: 'write' },
        { name: 'statuses', needed: 'read' },
        { name: 'pull_requests', needed: 'read' },
      ]),
    ).toBe('Deployments: read and write, Commit statuses: read, Pull requests: read');
  });
});

describe('findMissingScopes', () => {
  it.each<[string[], string[]]>([
    [[...REQUIRED_SLACK_SCOPES, 'reactions:write'], []],
    [REQUIRED_SLACK_SCOPES.filter((s) => s !== 'groups:read'), ['groups:read']],
    [[], [...REQUIRED_SLACK_SCOPES]],
  ])('%j lacks %j', (granted, missing) => {
    expect(findMissingScopes(granted)).toEqual(missing);
  });
});

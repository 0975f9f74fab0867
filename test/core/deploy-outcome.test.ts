import { describe, expect, it } from 'vitest';
import { type DeployOutcome, describeOutcome, outcomeFromError } from '../../src/core/deploy-outcome.js';
import { DeploybotError } from '../../src/core/errors.js';

describe('describeOutcome', () => {
  it.each<[DeployOutcome, string, string]>([
    [{ kind: 'succeeded', durationMs: 3_400 }, 'success', 'deployed in 3.4s'],
    [{ kind: 'succeeded', durationMs: 754_000 }, 'success', 'deployed in 12m 34s'],
    [{ kind: 'exited', code: 3 }, 'failure', 'script exited with code 3'],
    [{ kind: 'killed_by_signal', signal: 'SIGSEGV' }, 'failure', 'script was killed by SIGSEGV'],
    [
      { kind: 'http_status', status: 500, statusText: 'Internal Server Error' },
      'failure',
      'deploy endpoint answered HTTP 500 Internal Server Error',
    ],
    [{ kind: 'http_status', status: 418, statusText: '' }, 'failure', 'deploy endpoint answered HTTP 418'],
    [{ kind: 'timed_out', seconds: 900 }, 'error', 'timed out after 15m'],
    [{ kind: 'timed_out', seconds: 1 }, 'error', 'timed out after 1s'],
    [{ kind: 'cancelled', by: 'alice' }, 'error', 'cancelled by @alice'],
    [{ kind: 'cancelled', by: '@alice' }, 'error', 'cancelled by @alice'],
    [{ kind: 'orphaned' }, 'error', 'the deploybot process running it stopped'],
    [{ kind: 'stopped' }, 'error', 'deploybot stopped during the deploy'],
    [
      { kind: 'checkout_failed', sha: 'abcdef1234567890', reason: 'git fetch exited with code 128' },
      'error',
      'could not check out abcdef1: git fetch exited with code 128',
    ],
    [
      { kind: 'could_not_start', command: './script/deploy', reason: 'no such file or directory' },
      'error',
      'could not start ./script/deploy: no such file or directory',
    ],
    [
      { kind: 'unreachable', host: 'deploy.example.com', reason: 'connection refused' },
      'error',
      'could not reach deploy.example.com: connection refused',
    ],
    [
      { kind: 'refused', reason: 'ref "-x" is not a valid git ref' },
      'error',
      'refused: ref "-x" is not a valid git ref',
    ],
    [
      { kind: 'crashed', reason: 'internal error (internal)' },
      'error',
      'deploybot could not run the deploy: internal error (internal)',
    ],
  ])('%j → %s "%s"', (outcome, state, description) => {
    expect(describeOutcome(outcome)).toEqual({ state, description });
  });

  it('keeps every description within the 140 characters GitHub accepts', () => {
    const described = describeOutcome({ kind: 'refused', reason: 'x'.repeat(500) });
    expect(described.description).toHaveLength(140);
    expect(described.description.endsWith('…')).toBe(true);
  });
});

/** No lone surrogate: what a UTF-8 round trip keeps unchanged. */
const isWellFormed = (text: string) => Buffer.from(text, 'utf8').toString('utf8') === text;

describe('descriptions', () => {
  it('keeps a description of astral characters whole characters', () => {
    const described = describeOutcome({ kind: 'refused', reason: '🚀'.repeat(200) });
    expect(Array.from(described.description)).toHaveLength(140);
    expect(isWellFormed(described.description)).toBe(true);
  });
});

describe('outcomeFromError', () => {
  it.each<[DeploybotError, DeployOutcome]>([
    [
      new DeploybotError('invalid_ref', 'ref "-x" is not a valid git ref'),
      { kind: 'refused', reason: 'ref "-x" is not a valid git ref' },
    ],
    [new DeploybotError('invalid_name', 'bad name'), { kind: 'refused', reason: 'bad name' }],
    [new DeploybotError('unknown_environment', 'gone'), { kind: 'refused', reason: 'gone' }],
    [
      new DeploybotError('checkout_failed', 'the commit is not in the repository', {
        details: { sha: 'f'.repeat(40) },
      }),
      { kind: 'checkout_failed', sha: 'f'.repeat(40), reason: 'the commit is not in the repository' },
    ],
    [
      new DeploybotError('deploy_timed_out', 'slow', { details: { seconds: 60 } }),
      { kind: 'timed_out', seconds: 60 },
    ],
    [
      new DeploybotError('deploy_cancelled', 'stop', { details: { by: 'bob' } }),
      { kind: 'cancelled', by: 'bob' },
    ],
    [
      new DeploybotError('provider_crashed', 'no such file', { details: { command: './x' } }),
      { kind: 'could_not_start', command: './x', reason: 'no such file' },
    ],
    [new DeploybotError('provider_crashed', 'exploded'), { kind: 'crashed', reason: 'exploded' }],
    [
      new DeploybotError('github_unavailable', 'GitHub could not be reached'),
      { kind: 'crashed', reason: 'GitHub could not be asked about the deployment (github_unavailable)' },
    ],
    [
      new DeploybotError('internal', 'TypeError: x is undefined'),
      { kind: 'crashed', reason: 'internal error (internal)' },
    ],
  ])('%s → %j', (error, outcome) => {
    expect(outcomeFromError(error)).toEqual(outcome);
  });
});

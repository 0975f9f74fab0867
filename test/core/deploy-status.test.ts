import { describe, expect, it } from 'vitest';
import { formatClosingNote, formatNote } from '../../src/core/deploy-log-note.js';
import { buildDeployStatusRequest, statusQueueKey } from '../../src/core/deploy-status.js';
import type { DeployJob } from '../../src/core/ports/deploy-job-store.js';

const job = { repository: 'octo-org/web', deploymentId: 1001, logToken: 'a/b' } as DeployJob;

describe('a deployment status as GitHub is asked for it', () => {
  it.each([
    [
      { state: 'queued', description: 'waiting' },
      {
        repository: 'octo-org/web',
        deploymentId: 1001,
        state: 'queued',
        description: 'waiting',
        logUrl: 'https://d.example.com/deploys/1001/a%2Fb',
      },
    ],
    [
      { state: 'success', description: 'deployed in 3s', environmentUrl: 'https://web.example.com' },
      {
        repository: 'octo-org/web',
        deploymentId: 1001,
        state: 'success',
        description: 'deployed in 3s',
        logUrl: 'https://d.example.com/deploys/1001/a%2Fb',
        environmentUrl: 'https://web.example.com',
      },
    ],
  ] as const)('%j', (status, request) => {
    expect(buildDeployStatusRequest(job, status, 'https://d.example.com/')).toEqual(request);
  });

  it('serialises each deployment under a key of its own', () => {
    expect(statusQueueKey(1001)).not.toBe(statusQueueKey(1002));
  });
});

describe('deploybot lines in a deploy log', () => {
  it.each([
    ['exit code 0', [], '[deploybot] exit code 0\n'],
    ['token ghp_secret1 used', ['ghp_secret1'], '[deploybot] token [masked] used\n'],
  ])('%j with %j is %j', (line, secrets, note) => {
    expect(formatNote(line, secrets)).toBe(note);
  });

  it('closes a log with how the deploy ended', () => {
    expect(formatClosingNote({ state: 'error', description: 'cancelled by @alice' }, [])).toBe(
      '[deploybot] error: cancelled by @alice\n',
    );
  });
});

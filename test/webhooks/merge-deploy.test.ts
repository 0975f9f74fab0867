import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildCheckSuitePayload,
  buildMergedPullRequestPayload,
  buildStatusPayload,
  deriveSha,
} from '../../src/stand-ins/github-payloads.js';
import { type Harness, SECRETS, startHarness } from '../support/harness.js';

const isDeploymentCreate = (r: { method: string; path: string }) =>
  r.method === 'POST' && /^\/repos\/[^/]+\/[^/]+\/deployments$/.test(r.path);

describe('merged pull request → deployment', () => {
  let h: Harness;
  const sha = deriveSha('merge-commit');

  beforeEach(async () => {
    h = await startHarness();
    h.github.addRepository('octo-org/web');
    h.github.addRepository('octo-org/api');
    h.github.addCommit('octo-org/web', sha, { message: 'Merge pull request #42', author: 'octocat' });
  });
  afterEach(async () => {
    expect(h.github.schemaErrors).toEqual([]);
    await h.stop();
    const logs = h.logs.join('');
    for (const secret of Object.values(SECRETS)) expect(logs).not.toContain(secret);
  });

  const merged = (overrides: Partial<Parameters<typeof buildMergedPullRequestPayload>[0]> = {}) =>
    buildMergedPullRequestPayload({
      repo: 'octo-org/web',
      number: 42,
      baseRef: 'main',
      mergeCommitSha: sha,
      author: 'octocat',
      title: 'Add the thing',
      ...overrides,
    });

  it.each(['json', 'form'] as const)(
    'creates the deployment GitHub expects (%s webhook)',
    async (contentType) => {
      const response = await h.sendWebhook('pull_request', merged(), { contentType });
      expect(response.status).toBe(200);
      const request = await h.github.waitForRequest(isDeploymentCreate, { description: 'create deployment' });
      expect(request.path).toBe('/repos/octo-org/web/deployments');
      expect(request.body).toEqual({
        ref: sha,
        environment: 'staging',
        task: 'deploy',
        auto_merge: false,
        description: 'Deploy #42 (Add the thing) merged into main',
        production_environment: false,
        payload: { deploy_user: 'octocat', pull_request: 42, notify: { adapter: 'slack', channel: 'C0WEB' } },
      });
      expect(h.github.deployments('octo-org/web')).toHaveLength(1);
    },
  );

  it('deploys the base repository for a pull request from a fork', async () => {
    await h.sendWebhook('pull_request', merged({ headRepo: 'mallory/web' }));
    const request = await h.github.waitForRequest(isDeploymentCreate);
    expect(request.path).toBe('/repos/octo-org/web/deployments');
    await h.app.idle();
    expect(h.github.requests.some((r) => r.path.includes('mallory'))).toBe(false);
  });

  it('sends required_contexts when configured and production_environment for production', async () => {
    h.github.setCommitStatus('octo-org/web', sha, 'ci/build', 'success');
    await h.sendWebhook('pull_request', merged({ baseRef: 'release' }));
    const request = await h.github.waitForRequest(isDeploymentCreate);
    expect(request.body).toMatchObject({
      environment: 'production',
      required_contexts: ['ci/build'],
      production_environment: true,
    });
  });

  it.each([
    ['closed without merging', () => merged({ merged: false })],
    ['merged into an unconfigured branch', () => merged({ baseRef: 'develop' })],
    ['in an unconfigured repository', () => merged({ repo: 'octo-org/unknown' })],
  ])('ignores a pull request %s', async (_name, build) => {
    const response = await h.sendWebhook('pull_request', build());
    expect(response.status).toBe(200);
    await h.app.idle();
    expect(h.github.requests.filter(isDeploymentCreate)).toEqual([]);
    expect(h.slack.calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);
    expect(h.logs.some((line) => line.includes('pull_request ignored'))).toBe(true);
  });

  it('waits for CI, says on which checks, and deploys when they pass (status event)', async () => {
    h.github.setCommitStatus('octo-org/web', sha, 'ci/build', 'pending');
    h.github.setCommitStatus('octo-org/web', sha, 'ci/test', 'success');
    await h.sendWebhook('pull_request', merged());
    const waiting = await h.slack.waitForCall('chat.postMessage', (c) =>
      String(c.args.text).includes('waiting for CI'),
    );
    expect(waiting.args.channel).toBe('C0WEB');
    expect(String(waiting.args.text)).toContain('ci/build');
    expect(String(waiting.args.text)).not.toContain('ci/test');
    expect(h.github.deployments('octo-org/web')).toHaveLength(0);

    h.github.setCommitStatus('octo-org/web', sha, 'ci/build', 'success');
    await h.sendWebhook(
      'status',
      buildStatusPayload({ repo: 'octo-org/web', sha, context: 'ci/build', state: 'success' }),
    );
    await h.github.waitForRequest((r) => isDeploymentCreate(r) && r.status === 201, {
      description: 'deployment after CI',
    });
    const settled = await h.slack.waitForCall('chat.update', (c) => c.args.ts === waiting.response.ts);
    expect(String(settled.args.text)).toContain('checks passed');
    expect(h.github.deployments('octo-org/web')).toHaveLength(1);

    // A later status for the same commit finds nothing waiting.
    await h.sendWebhook(
      'status',
      buildStatusPayload({ repo: 'octo-org/web', sha, context: 'ci/lint', state: 'success' }),
    );
    await h.app.idle();
    expect(h.github.deployments('octo-org/web')).toHaveLength(1);
  });

  it('deploys when a check suite completes', async () => {
    h.github.setCheckRun('octo-org/web', sha, 'build', 'in_progress');
    await h.sendWebhook('pull_request', merged());
    await h.slack.waitForCall('chat.postMessage', (c) => String(c.args.text).includes('waiting for CI'));
    h.github.setCheckRun('octo-org/web', sha, 'build', 'completed', 'success');
    await h.sendWebhook(
      'check_suite',
      buildCheckSuitePayload({
        repo: 'octo-org/web',
        headSha: sha,
        status: 'completed',
        conclusion: 'success',
      }),
    );
    await h.github.waitForRequest((r) => isDeploymentCreate(r) && r.status === 201);
    expect(h.github.deployments('octo-org/web')).toHaveLength(1);
  });

  it('drops a merge waiting for CI once a later merge into the branch deployed first: "superseded by #43"', async () => {
    h.github.setCommitStatus('octo-org/web', sha, 'ci/build', 'pending');
    await h.sendWebhook('pull_request', merged());
    const waiting = await h.slack.waitForCall('chat.postMessage', (c) =>
      String(c.args.text).includes('waiting for CI'),
    );

    const later = deriveSha('later-merge-commit');
    h.github.addCommit('octo-org/web', later, { message: 'Merge pull request #43', author: 'octocat' });
    h.github.setCommitStatus('octo-org/web', later, 'ci/build', 'success');
    await h.sendWebhook('pull_request', merged({ number: 43, mergeCommitSha: later }));
    await h.github.waitForRequest((r) => isDeploymentCreate(r) && r.status === 201);

    h.github.setCommitStatus('octo-org/web', sha, 'ci/build', 'success');
    await h.sendWebhook(
      'status',
      buildStatusPayload({ repo: 'octo-org/web', sha, context: 'ci/build', state: 'success' }),
    );
    const dropped = await h.slack.waitForCall('chat.update', (c) => c.args.ts === waiting.response.ts);
    expect(String(dropped.args.text)).toContain('not deployed, superseded by #43');
    await h.app.idle();
    expect(h.github.deployments('octo-org/web').map((d) => d.sha)).toEqual([later]);
  });

  it('announces failing CI and drops the deploy', async () => {
    h.github.setCommitStatus('octo-org/web', sha, 'ci/build', 'pending');
    await h.sendWebhook('pull_request', merged());
    const waiting = await h.slack.waitForCall('chat.postMessage', (c) =>
      String(c.args.text).includes('waiting for CI'),
    );
    h.github.setCommitStatus('octo-org/web', sha, 'ci/build', 'failure');
    await h.sendWebhook(
      'status',
      buildStatusPayload({ repo: 'octo-org/web', sha, context: 'ci/build', state: 'failure' }),
    );
    const failed = await h.slack.waitForCall('chat.update', (c) => c.args.ts === waiting.response.ts);
    expect(String(failed.args.text)).toContain('checks failed');
    expect(String(failed.args.text)).toContain('ci/build');

    // Dropped: CI passing later (a re-run) does not deploy this merge on its own.
    h.github.setCommitStatus('octo-org/web', sha, 'ci/build', 'success');
    await h.sendWebhook(
      'status',
      buildStatusPayload({ repo: 'octo-org/web', sha, context: 'ci/build', state: 'success' }),
    );
    await h.app.idle();
    expect(h.github.deployments('octo-org/web')).toHaveLength(0);
  });

  it('deploys a merge once when Slack fails after the deployment was created', async () => {
    h.github.setCommitStatus('octo-org/web', sha, 'ci/build', 'pending');
    await h.sendWebhook('pull_request', merged());
    await h.slack.waitForCall('chat.postMessage', (c) => String(c.args.text).includes('waiting for CI'));
    h.github.setCommitStatus('octo-org/web', sha, 'ci/build', 'success');
    h.slack.failNext('chat.update', 'internal_error', 3);
    await h.sendWebhook(
      'status',
      buildStatusPayload({ repo: 'octo-org/web', sha, context: 'ci/build', state: 'success' }),
    );
    await h.github.waitForRequest((r) => isDeploymentCreate(r) && r.status === 201);
    await h.app.idle();
    // A redelivery of the merge finds the deployment on GitHub instead of creating another.
    await h.sendWebhook('pull_request', merged());
    await h.app.idle();
    expect(h.github.deployments('octo-org/web')).toHaveLength(1);
  });

  it('announces a failing check on the first attempt', async () => {
    h.github.setCommitStatus('octo-org/web', sha, 'ci/build', 'failure');
    await h.sendWebhook('pull_request', merged());
    const failed = await h.slack.waitForCall('chat.postMessage', (c) =>
      String(c.args.text).includes('checks failed'),
    );
    expect(failed.args.channel).toBe('C0WEB');
  });

  it("announces a 422 with GitHub's reason", async () => {
    const unknown = deriveSha('not-on-github');
    await h.sendWebhook('pull_request', merged({ mergeCommitSha: unknown }));
    const refused = await h.slack.waitForCall('chat.postMessage', (c) =>
      String(c.args.text).includes('not deployed'),
    );
    expect(String(refused.args.text)).toContain(unknown);
    expect(String(refused.args.text)).toContain('No ref found');
  });

  it.each([
    [403, 'Resource not accessible by integration', 'Deployments: read and write'],
    [404, 'Not Found', 'cannot find'],
    [503, 'Service Unavailable', 'GitHub is having trouble'],
  ])('announces a %d from GitHub instead of losing it', async (status, message, words) => {
    h.github.failNext(
      { method: 'POST', path: '/repos/octo-org/web/deployments' },
      { status, body: { message } },
      1000,
    );
    await h.sendWebhook('pull_request', merged());
    const refused = await h.slack.waitForCall(
      'chat.postMessage',
      (c) => String(c.args.text).includes('not deployed'),
      { timeoutMs: 15_000 },
    );
    expect(String(refused.args.text)).toContain(words);
  });
});

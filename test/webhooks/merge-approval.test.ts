import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildMergedPullRequestPayload, deriveSha } from '../../src/stand-ins/github-payloads.js';
import { buttonValue, nextResponse, press, slash, textOf } from '../support/chat.js';
import { type Harness, startHarness } from '../support/harness.js';

const CONFIG = `
slack: { channel: C0DEPLOYS }
users: { U0ALICE: octocat }
repos:
  octo-org/web:
    channel: C0WEB
    environments:
      staging:
        deploy_on_merge: main
        approvals: 1
`;

const isDeploymentCreate = (r: { method: string; path: string; status?: number | undefined }) =>
  r.method === 'POST' && r.path === '/repos/octo-org/web/deployments' && r.status === 201;

describe('a merged pull request into an environment with approvals', () => {
  let h: Harness;
  const sha = deriveSha('approved-merge');

  beforeEach(async () => {
    h = await startHarness({ config: CONFIG });
    h.github.addRepository('octo-org/web');
    h.github.addCommit('octo-org/web', sha, { message: 'Merge pull request #42', author: 'octocat' });
  });
  afterEach(async () => {
    expect(h.github.schemaErrors).toEqual([]);
    await h.stop();
  });

  const merged = () =>
    h.sendWebhook(
      'pull_request',
      buildMergedPullRequestPayload({
        repo: 'octo-org/web',
        number: 42,
        baseRef: 'main',
        mergeCommitSha: sha,
        author: 'octocat',
        title: 'Add the thing',
      }),
    );

  it('then waits for the lock like any merge, approvals kept', async () => {
    const locked = await slash(h, 'lock staging on octo-org/web', { user: 'U0CAROL' });
    expect(textOf(await nextResponse(h, locked.responseUrl))).toContain('Locked');
    await merged();
    const asked = await h.slack.waitForCall('chat.postMessage', (c) =>
      JSON.stringify(c.args.blocks ?? []).includes('deploy_approve'),
    );
    const approve = buttonValue({ blocks: asked.args.blocks as unknown[] }, 'deploy_approve')!;
    const approved = await press(h, 'deploy_approve', approve, { user: 'U0BOB' });
    await nextResponse(h, approved.responseUrl);
    await h.slack.waitForCall('chat.postMessage', (c) =>
      String(c.args.text).includes('waiting for the environment to be unlocked'),
    );
    expect(h.github.requests.filter(isDeploymentCreate)).toEqual([]);

    const unlocked = await slash(h, 'unlock staging on octo-org/web', { user: 'U0CAROL' });
    await nextResponse(h, unlocked.responseUrl);
    const created = await h.github.waitForRequest(isDeploymentCreate);
    expect(created.body).toMatchObject({ ref: sha, payload: { pull_request: 42, approved_by: ['U0BOB'] } });
    const approvalRequests = h.slack.calls.filter(
      (c) =>
        c.method === 'chat.postMessage' && JSON.stringify(c.args.blocks ?? []).includes('deploy_approve'),
    );
    expect(approvalRequests).toHaveLength(1);
  });

  it('asks the channel first, refuses the author, and deploys once someone else approves', async () => {
    await h.sendWebhook(
      'pull_request',
      buildMergedPullRequestPayload({
        repo: 'octo-org/web',
        number: 42,
        baseRef: 'main',
        mergeCommitSha: sha,
        author: 'octocat',
        title: 'Add the thing',
      }),
    );
    const asked = await h.slack.waitForCall('chat.postMessage', (c) =>
      JSON.stringify(c.args.blocks ?? []).includes('deploy_approve'),
    );
    expect(asked.args.channel).toBe('C0WEB');
    expect(String(asked.args.text)).toContain('#42 by octocat was merged');
    await h.app.idle();
    expect(h.github.requests.filter(isDeploymentCreate)).toEqual([]);
    const approve = buttonValue({ blocks: asked.args.blocks as unknown[] }, 'deploy_approve')!;

    // U0ALICE is octocat in deploybot.yml: the author.
    const own = await press(h, 'deploy_approve', approve, { user: 'U0ALICE' });
    expect(textOf(await nextResponse(h, own.responseUrl))).toContain('You cannot approve your own deploy');
    expect(h.github.requests.filter(isDeploymentCreate)).toEqual([]);

    const approved = await press(h, 'deploy_approve', approve, { user: 'U0BOB' });
    expect(textOf(await nextResponse(h, approved.responseUrl))).toContain(
      'approved the deploy of #42 by octocat',
    );
    const created = await h.github.waitForRequest(isDeploymentCreate);
    expect(created.body).toMatchObject({
      ref: sha,
      environment: 'staging',
      payload: { deploy_user: 'octocat', pull_request: 42, approved_by: ['U0BOB'] },
    });
    await h.app.idle();
    expect(h.github.deployments('octo-org/web')).toHaveLength(1);
  });
});

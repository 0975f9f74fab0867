import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GitHubStandIn, startGitHubStandIn } from '../../src/stand-ins/github-stand-in.js';
import {
  type DeployHarness,
  deployConfig,
  fixtureProvider,
  REPO,
  readLogPage,
  startDeployHarness,
} from '../support/deployer/deploy-harness.js';
import { readRuns, release, waitForFile, waitUntil } from '../support/deployer/files.js';
import { readJobRow } from '../support/deployer/store-rows.js';
import { SECRETS } from '../support/harness.js';

const SHA = '9'.repeat(40);
const WAIT = { timeoutMs: 20_000 };
const STATUSES = /^\/repos\/octo-org\/web\/deployments\/\d+\/statuses$/;
const isStatusPost = (r: { method: string; path: string }) => r.method === 'POST' && STATUSES.test(r.path);

describe('the final status always reaches GitHub', () => {
  let github: GitHubStandIn;
  let dataDir: string;
  const harnesses: DeployHarness[] = [];

  beforeEach(async () => {
    github = await startGitHubStandIn({
      token: SECRETS.githubToken,
      webhookSecret: SECRETS.githubWebhookSecret,
    });
    dataDir = await mkdtemp(join(tmpdir(), 'deploybot-final-'));
  });
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.stop();
    await github.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    const h = await startDeployHarness(
      (resultDir) => deployConfig({ staging: { provider: fixtureProvider(resultDir, ['gate']) } }),
      { github, dataDir },
    );
    harnesses.push(h);
    return h;
  };

  /** A deployment running on a fresh deploybot, its `pending` posted, held until released. */
  const startRunning = async () => {
    const h = await start();
    const deployment = github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'staging',
    });
    await github.waitForStatus(deployment.id, 'pending', WAIT);
    await waitForFile(join(h.resultDir, `started-${deployment.id}`));
    return { h, deployment };
  };

  it('retries a final status GitHub did not take until it does', async () => {
    const { h, deployment } = await startRunning();
    // More failures in a row than the GitHub client retries by itself.
    github.failNext({ method: 'POST', path: STATUSES }, { status: 502, body: { message: 'Bad gateway' } }, 8);
    await release(h.resultDir, deployment.id);

    await github.waitForStatus(deployment.id, 'success', WAIT);
    expect(github.requests.filter((r) => isStatusPost(r) && r.status === 502)).toHaveLength(8);
    expect(github.statuses(deployment.id).map((s) => s.state)).toEqual(['pending', 'success']);
  });

  it('does not post a final status twice when GitHub took it but its answer was lost', async () => {
    const { h, deployment } = await startRunning();
    github.loseNextReply(
      { method: 'POST', path: STATUSES },
      { status: 502, body: { message: 'Bad gateway' } },
    );
    await release(h.resultDir, deployment.id);

    await github.waitForStatus(deployment.id, 'success', WAIT);
    const statusesPath = `/repos/${REPO}/deployments/${deployment.id}/statuses`;
    // The settler's retry looks at GitHub's statuses, finds the success, and records it posted.
    await github.waitForRequest((r) => r.method === 'GET' && r.path === statusesPath, WAIT);
    await waitUntil(() => readJobRow(dataDir, deployment.id)?.final_status === 'posted', 'recorded posted');
    expect(github.statuses(deployment.id).map((s) => s.state)).toEqual(['pending', 'success']);
    expect(github.requests.filter(isStatusPost).map((r) => r.status)).toEqual([201, 502]);
  });

  it('posts a final status still owed when deploybot stopped, at the next start, without running again', async () => {
    let githubDown = true;
    // A path matcher the test can switch off: statuses fail while GitHub is "down".
    const whileDown = { test: (path: string) => githubDown && STATUSES.test(path) } as unknown as RegExp;
    github.failNext(
      { method: 'POST', path: whileDown },
      { status: 503, body: { message: 'Unavailable' } },
      1e9,
    );

    const first = await start();
    const deployment = github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'staging',
    });
    await waitForFile(join(first.resultDir, `started-${deployment.id}`));
    await release(first.resultDir, deployment.id);
    await github.waitForRequest(
      (r) => isStatusPost(r) && r.status === 503 && (r.body as { state?: string }).state === 'success',
      WAIT,
    );
    const logUrl = `http://localhost/deploys/${deployment.id}/${readToken(deployment.id)}`;
    expect(await readLogPage(first.url, logUrl)).toMatchObject({ state: 'success', final: true });
    // Read before stop() removes the first app's result directory.
    expect(await readRuns(first.resultDir)).toEqual([deployment.id]);
    await first.stop();
    harnesses.splice(harnesses.indexOf(first), 1);
    expect(readJob(deployment.id)).toMatchObject({ final_status: 'owed', outcome_state: 'success' });
    expect(github.statuses(deployment.id)).toEqual([]);

    githubDown = false;
    const second = await start();
    const success = await github.waitForStatus(deployment.id, 'success', WAIT);
    expect(success.log_url).toContain(`/deploys/${deployment.id}/`);
    // Had the second app taken the deployment up again, it would run before this one.
    const sentinel = github.createDeploymentDirectly(REPO, { ref: 'main', sha: SHA, environment: 'staging' });
    await waitForFile(join(second.resultDir, `started-${sentinel.id}`));
    await release(second.resultDir, sentinel.id);
    await github.waitForStatus(sentinel.id, 'success', WAIT);
    expect(await readRuns(second.resultDir)).toEqual([sentinel.id]);
    await waitUntil(
      () => readJob(deployment.id).final_status === 'posted',
      'the status to be recorded as posted',
    );
    expect(readJob(deployment.id)).toMatchObject({ posted_state: 'success' });
  });

  function readJob(id: number): Record<string, unknown> {
    return readJobRow(dataDir, id) ?? {};
  }

  function readToken(id: number): string {
    return String(readJob(id).log_token);
  }
});

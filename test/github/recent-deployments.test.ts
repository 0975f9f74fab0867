import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../src/github/client.js';
import { createGitHubPort } from '../../src/github/github-port.js';
import { createLogger } from '../../src/logger.js';
import { type GitHubStandIn, startGitHubStandIn } from '../../src/stand-ins/github-stand-in.js';
import { createManualScheduler } from '../support/manual-scheduler.js';

const TOKEN = 'ghp_recentDeploymentsTestToken0123456789';
const REPO = { owner: 'octo-org', repo: 'web' };
const HOUR = 60 * 60 * 1000;

describe('reading recent deployments from GitHub', () => {
  let github: GitHubStandIn;

  beforeEach(async () => {
    github = await startGitHubStandIn({ token: TOKEN });
    github.addRepository('octo-org/web');
    github.setRef('octo-org/web', 'main', 'd'.repeat(40));
  });
  afterEach(async () => {
    expect(github.schemaErrors).toEqual([]);
    await github.close();
  });

  const port = () =>
    createGitHubPort(
      createGitHubClient({
        auth: { kind: 'token', token: TOKEN },
        baseUrl: github.url,
        fetch: globalThis.fetch,
        logger: createLogger({ level: 'silent', destination: { write: () => undefined } }),
        userAgent: 'deploybot',
        retryBaseMs: 5,
        retries: 0,
        writeIntervalMs: 0,
        clock: createManualScheduler(),
      }),
      { kind: 'token', token: TOKEN },
    );
  const lists = () => github.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/deployments'));

  it('lists one environment’s deployments since a time, newest first, a page of 100 per call', async () => {
    const made = Array.from({ length: 130 }, () =>
      github.createDeploymentDirectly('octo-org/web', { ref: 'main', environment: 'staging' }),
    );
    github.createDeploymentDirectly('octo-org/web', { ref: 'main', environment: 'production' });
    const listed = await port().listRecentDeployments(REPO, {
      environment: 'staging',
      since: Date.now() - HOUR,
    });
    expect(listed.map((d) => d.id)).toEqual(made.map((d) => d.id).reverse());
    expect(listed[0]).toMatchObject({ environment: 'staging', task: 'deploy', creator: 'octocat' });
    expect(lists()).toHaveLength(2);
    expect(lists()[0]?.query).toMatchObject({ environment: 'staging', per_page: '100', page: '1' });
  });

  it('stops at the first deployment older than the cut-off', async () => {
    github.createDeploymentDirectly('octo-org/web', { ref: 'main', environment: 'staging' });
    const listed = await port().listRecentDeployments(REPO, {
      environment: 'staging',
      since: Date.now() + HOUR,
    });
    expect(listed).toEqual([]);
    expect(lists()).toHaveLength(1);
  });

  it('reads only the latest status of a deployment, or none', async () => {
    const deployment = github.createDeploymentDirectly('octo-org/web', {
      ref: 'main',
      environment: 'staging',
    });
    expect(await port().getLatestDeploymentStatus(REPO, deployment.id)).toBeUndefined();
    github.createStatusDirectly(deployment.id, { state: 'in_progress' });
    const last = github.createStatusDirectly(deployment.id, {
      state: 'success',
      log_url: 'https://ci.example.com/1',
      environment_url: 'https://staging.example.com',
      description: 'done',
    });
    expect(await port().getLatestDeploymentStatus(REPO, deployment.id)).toEqual({
      id: last.id,
      state: 'success',
      createdAt: last.created_at,
      description: 'done',
      logUrl: 'https://ci.example.com/1',
      environmentUrl: 'https://staging.example.com',
    });
    const statusReads = github.requests.filter((r) => r.path.endsWith('/statuses'));
    expect(statusReads.map((r) => r.query.per_page)).toEqual(['10', '10']);
  });

  it('lists the states of a deployment’s statuses newest first, the automatic inactive among them', async () => {
    const first = github.createDeploymentDirectly('octo-org/web', { ref: 'main', environment: 'staging' });
    expect(await port().listDeploymentStates(REPO, first.id)).toEqual([]);
    github.createStatusDirectly(first.id, { state: 'in_progress' });
    github.createStatusDirectly(first.id, { state: 'success' });
    const second = github.createDeploymentDirectly('octo-org/web', { ref: 'main', environment: 'staging' });
    github.createStatusDirectly(second.id, { state: 'success' });
    expect(await port().listDeploymentStates(REPO, first.id)).toEqual(['inactive', 'success', 'in_progress']);
    const statusReads = github.requests.filter((r) => r.path.endsWith(`/deployments/${first.id}/statuses`));
    expect(statusReads.map((r) => r.query.per_page)).toEqual(['100', '100']);
  });
});

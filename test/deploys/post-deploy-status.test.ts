import { describe, expect, it } from 'vitest';
import { DeploybotError } from '../../src/core/errors.js';
import { createKeyedQueue } from '../../src/core/keyed-queue.js';
import type { DeployJob } from '../../src/core/ports/deploy-job-store.js';
import { createPostDeployStatus } from '../../src/deploys/post-deploy-status.js';
import { FLOW_REPO, PUBLIC_URL } from '../support/deployer/deploy-flows.js';
import { createMemoryGitHub } from '../support/memory/memory-github.js';
import { createMemoryLog } from '../support/memory/memory-log.js';
import { createMemoryStore } from '../support/memory/memory-store.js';

async function setUp() {
  const store = createMemoryStore();
  const github = createMemoryGitHub({ now: () => 1 });
  const log = createMemoryLog();
  const post = createPostDeployStatus({
    jobs: store,
    github,
    queue: createKeyedQueue(),
    log,
    publicUrl: PUBLIC_URL,
  });
  const d = github.addDeployment(FLOW_REPO, {
    sha: 'a'.repeat(40),
    ref: 'main',
    environment: 'staging',
    task: 'deploy',
    payload: {},
  });
  await store.recordDeployJob({
    deploymentId: d.id,
    repository: FLOW_REPO,
    environment: 'staging',
    lane: `${FLOW_REPO}:staging`,
    ref: 'main',
    sha: d.sha,
    task: 'deploy',
    creator: undefined,
    payload: {},
    logToken: 'tok',
    enqueuedAt: 1,
  });
  const job = (await store.getDeployJob(d.id)) as DeployJob;
  return { store, github, log, post, d, job };
}

describe('posting the statuses of a deployment on its way', () => {
  it('posts them one at a time in order, never going back, never the same twice', async () => {
    const { post, d, job, store } = await setUp();
    await Promise.all([
      post(job, { state: 'queued', description: 'waiting behind deployment 7' }),
      post(job, { state: 'pending', description: 'deploying aaaaaaa to staging' }),
      post(job, { state: 'queued', description: 'waiting for a free slot (4 deploys running)' }),
      post(job, { state: 'pending', description: 'deploying aaaaaaa to staging' }),
    ]);
    expect(d.statuses.map((s) => [s.state, s.description, s.logUrl])).toEqual([
      ['queued', 'waiting behind deployment 7', `${PUBLIC_URL}/deploys/${d.id}/tok`],
      ['pending', 'deploying aaaaaaa to staging', `${PUBLIC_URL}/deploys/${d.id}/tok`],
    ]);
    expect(await store.getDeployJob(d.id)).toMatchObject({ postedState: 'pending' });
  });

  it('posts nothing once the job owes its final status', async () => {
    const { post, d, job, store } = await setUp();
    await store.finishDeployJob(d.id, 'queued', { state: 'error', description: 'cancelled by @a' }, 2);
    await post(job, { state: 'pending', description: 'deploying aaaaaaa to staging' });
    expect(d.statuses).toEqual([]);
  });

  it('is best effort: a status GitHub did not take is logged, not retried, and never thrown', async () => {
    const { post, d, job, store, github, log } = await setUp();
    github.failNext('createDeploymentStatus', 'github_unavailable');
    await expect(post(job, { state: 'queued', description: 'waiting' })).resolves.toBeUndefined();
    expect(d.statuses).toEqual([]);
    expect(await store.getDeployJob(d.id)).toMatchObject({ postedState: undefined });
    expect(log.messages('warn')).toEqual(['deployment status not posted']);
    store.getDeployJob = async () => {
      throw new DeploybotError('store_unavailable', 'down');
    };
    await expect(post(job, { state: 'pending', description: 'deploying' })).resolves.toBeUndefined();
    expect(log.messages('error')).toEqual(['deployment status bookkeeping failed']);
  });
});

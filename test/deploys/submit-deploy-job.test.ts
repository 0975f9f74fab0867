import { describe, expect, it } from 'vitest';
import { createSubmitDeployJob } from '../../src/deploys/submit-deploy-job.js';
import { BOT_SECRET, FLOW_REPO, flowConfig } from '../support/deployer/deploy-flows.js';
import { createManualScheduler } from '../support/manual-scheduler.js';
import { createMemoryLog } from '../support/memory/memory-log.js';
import { createMemoryStore } from '../support/memory/memory-store.js';

const SHA = 'b'.repeat(40);

function setUp() {
  const jobs = createMemoryStore();
  const scheduler = createManualScheduler(1_000_000);
  const log = createMemoryLog();
  const settled: number[] = [];
  let tokens = 0;
  const submit = createSubmitDeployJob({
    config: flowConfig(),
    jobs,
    clock: scheduler,
    log,
    newToken: () => `token-${++tokens}`,
    secrets: [BOT_SECRET],
    settle: async (id) => {
      settled.push(id);
    },
  });
  return { jobs, submit, settled, log };
}

const deployment = (fields: Record<string, unknown> = {}) => ({
  repository: FLOW_REPO,
  id: 1001,
  sha: SHA,
  ref: 'main',
  environment: 'staging',
  ...fields,
});

describe('submitting a deploy job', () => {
  it('records a deployment of deploybot once, queued in its lane', async () => {
    const { jobs, submit, log } = setUp();
    expect(await submit(deployment({ payload: { deploy_user: 'alice' }, task: 'deploy' }))).toEqual({
      kind: 'queued',
    });
    expect(await jobs.getDeployJob(1001)).toMatchObject({
      repository: FLOW_REPO,
      environment: 'staging',
      lane: 'octo-org/web:staging',
      state: 'queued',
      logToken: 'token-1',
      enqueuedAt: 1_000_000,
      payload: { deploy_user: 'alice' },
      finalStatus: undefined,
    });
    expect(log.messages('info')).toEqual(['deployment queued']);
  });

  it('records each deployment id once however often it is submitted, filling in what it lacked', async () => {
    const { jobs, submit } = setUp();
    expect(await submit(deployment())).toEqual({ kind: 'queued' });
    expect(await submit(deployment({ payload: { deploy_user: 'bob' }, creator: 'octocat' }))).toEqual({
      kind: 'duplicate',
    });
    expect(await submit(deployment({ payload: { deploy_user: 'mallory' } }))).toEqual({ kind: 'duplicate' });
    expect(await jobs.listUnfinishedDeployJobs(10)).toHaveLength(1);
    expect(await jobs.getDeployJob(1001)).toMatchObject({
      logToken: 'token-1',
      task: 'deploy',
      creator: 'octocat',
      payload: { deploy_user: 'bob' },
    });
  });

  it.each([
    [{ repository: 'octo-org/unknown' }, 'repository not in deploybot.yml'],
    [{ environment: 'nowhere' }, 'environment not in deploybot.yml'],
    // Aliases are for people in chat; another system's deployment to `stg` is not one to staging.
    [{ environment: 'stg' }, 'environment not in deploybot.yml'],
    [{ environment: 'docs' }, 'an external system carries out this environment'],
  ])('ignores %j: %s', async (fields, reason) => {
    const { jobs, submit } = setUp();
    expect(await submit(deployment(fields))).toEqual({ kind: 'ignored', reason });
    expect(await jobs.getDeployJob(1001)).toBeUndefined();
  });

  it('refuses a hostile ref once: finished in error with its log saying why, the status owed', async () => {
    const { jobs, submit, settled, log } = setUp();
    const hostile = deployment({ ref: '--upload-pack=touch /tmp/pwned' });
    const result = await submit(hostile);
    expect(result).toMatchObject({ kind: 'refused', error: { code: 'invalid_ref' } });
    expect(await jobs.getDeployJob(1001)).toMatchObject({
      state: 'finished',
      finalStatus: 'owed',
      outcome: {
        state: 'error',
        description: 'refused: ref "--upload-pack=touch /tmp/pwned" is not a valid git ref',
      },
    });
    expect((await jobs.readDeployLog(1001, 0, 10)).map((c) => c.text)).toEqual([
      '[deploybot] error: refused: ref "--upload-pack=touch /tmp/pwned" is not a valid git ref\n',
    ]);
    expect(settled).toEqual([1001]);
    expect(log.messages('warn')).toEqual(['deployment refused']);

    // Seen again: still refused, but recorded and settled only the first time.
    expect(await submit(hostile)).toMatchObject({ kind: 'refused' });
    expect(settled).toEqual([1001]);
    expect(await jobs.readDeployLog(1001, 0, 10)).toHaveLength(1);
  });

  it('throws when the store cannot record the job, so the caller can try again', async () => {
    const { jobs, submit } = setUp();
    jobs.recordDeployJob = async () => {
      throw new Error('the store is down');
    };
    await expect(submit(deployment())).rejects.toThrow('the store is down');
  });
});

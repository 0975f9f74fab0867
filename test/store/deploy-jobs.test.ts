import { describe, expect, it } from 'vitest';
import type { NewDeployJob } from '../../src/core/ports/deploy-job-store.js';
import { STORES, useTestStore } from '../support/databases.js';

describe.each(STORES)('deploy jobs on %s', (_name, createDatabase) => {
  const storeOf = useTestStore(createDatabase);

  const job = (id: number, enqueuedAt: number, lane = 'octo-org/web:staging'): NewDeployJob => ({
    deploymentId: id,
    repository: 'octo-org/web',
    environment: lane.split(':')[1] as string,
    lane,
    ref: 'main',
    sha: 'a'.repeat(40),
    task: 'deploy',
    creator: 'octocat',
    payload: { deploy_user: 'alice', notify: { channel: 'C0WEB' } },
    logToken: `token-${id}`,
    enqueuedAt,
  });

  it('records a deployment once, however often it is offered', async () => {
    expect(await storeOf().recordDeployJob(job(1001, 10))).toBe('recorded');
    expect(await storeOf().recordDeployJob({ ...job(1001, 20), ref: 'other', logToken: 'other' })).toBe(
      'duplicate',
    );
    expect(await storeOf().getDeployJob(1001)).toMatchObject({
      ...job(1001, 10),
      state: 'queued',
      startedAt: undefined,
      outcome: undefined,
      postedState: undefined,
      finalStatus: undefined,
    });
    expect(await storeOf().getDeployJob(9999)).toBeUndefined();
  });

  it('lists unfinished jobs oldest first and claims one per lane at a time', async () => {
    await storeOf().recordDeployJob(job(1002, 20));
    await storeOf().recordDeployJob(job(1001, 10));
    await storeOf().recordDeployJob(job(1003, 30, 'octo-org/web:production'));
    expect((await storeOf().listUnfinishedDeployJobs(10)).map((j) => j.deploymentId)).toEqual([
      1001, 1002, 1003,
    ]);

    expect(await storeOf().claimDeployJob(1001, 'octo-org/web:staging', 'runner-a', 100)).toBe(true);
    expect(await storeOf().claimDeployJob(1001, 'octo-org/web:staging', 'runner-b', 101)).toBe(false);
    expect(await storeOf().claimDeployJob(1002, 'octo-org/web:staging', 'runner-a', 102)).toBe(false);
    expect(await storeOf().claimDeployJob(1003, 'octo-org/web:production', 'runner-a', 103)).toBe(true);
    expect(await storeOf().getDeployJob(1001)).toMatchObject({
      state: 'running',
      startedAt: 100,
      runner: 'runner-a',
    });

    const outcome = {
      state: 'success' as const,
      description: 'deployed in 3s',
      environmentUrl: 'https://x.test',
    };
    expect(await storeOf().finishDeployJob(1001, 'running', outcome, 200)).toBe(true);
    expect(await storeOf().finishDeployJob(1001, 'running', outcome, 201)).toBe(false);
    expect(await storeOf().claimDeployJob(1002, 'octo-org/web:staging', 'runner-a', 202)).toBe(true);
    expect(await storeOf().getDeployJob(1001)).toMatchObject({
      state: 'finished',
      finishedAt: 200,
      outcome,
      finalStatus: 'owed',
    });
    expect((await storeOf().listUnfinishedDeployJobs(10)).map((j) => j.deploymentId)).toEqual([1002, 1003]);
  });

  it('records a refused job finished, its error status owed, until settled', async () => {
    const refusal = { state: 'error' as const, description: 'refused: ref "-x" is not a valid git ref' };
    expect(await storeOf().recordDeployJob(job(1001, 10), refusal)).toBe('recorded');
    expect(await storeOf().getDeployJob(1001)).toMatchObject({
      state: 'finished',
      finishedAt: 10,
      outcome: refusal,
    });
    expect((await storeOf().listDeployJobsOwingFinalStatus(10)).map((j) => j.deploymentId)).toEqual([1001]);
    await storeOf().recordPostedDeployStatus(1001, 'error');
    await storeOf().settleFinalDeployStatus(1001, 'posted');
    expect(await storeOf().listDeployJobsOwingFinalStatus(10)).toEqual([]);
    expect(await storeOf().getDeployJob(1001)).toMatchObject({ postedState: 'error', finalStatus: 'posted' });
  });

  it('cancels only a job that is still queued', async () => {
    await storeOf().recordDeployJob(job(1001, 10));
    await storeOf().recordDeployJob(job(1002, 20, 'octo-org/web:production'));
    await storeOf().claimDeployJob(1002, 'octo-org/web:production', 'runner-a', 30);
    const cancelled = { state: 'error' as const, description: 'cancelled by @alice' };
    expect(await storeOf().finishDeployJob(1001, 'queued', cancelled, 40)).toBe(true);
    expect(await storeOf().finishDeployJob(1002, 'queued', cancelled, 40)).toBe(false);
  });

  it('stores the closing line with the end of a job, and only when the job did end', async () => {
    const log = async (id: number) => (await storeOf().readDeployLog(id, 0, 10)).map((c) => c.text);
    await storeOf().recordDeployJob(job(1001, 10));
    await storeOf().claimDeployJob(1001, 'octo-org/web:staging', 'runner-a', 20);
    await storeOf().appendDeployLog(1001, 1, 'output\n', 21);
    const outcome = { state: 'failure' as const, description: 'script exited with code 3' };
    const note = '[deploybot] failure: script exited with code 3\n';
    expect(await storeOf().finishDeployJob(1001, 'running', outcome, 30, note)).toBe(true);
    expect(await storeOf().finishDeployJob(1001, 'running', outcome, 31, note)).toBe(false);
    expect(await log(1001)).toEqual(['output\n', note]);

    const refusal = { state: 'error' as const, description: 'refused: ref "-x" is not a valid git ref' };
    const refusedNote = '[deploybot] error: refused: ref "-x" is not a valid git ref\n';
    expect(await storeOf().recordDeployJob(job(1002, 40), refusal, refusedNote)).toBe('recorded');
    expect(await storeOf().recordDeployJob(job(1002, 41), refusal, refusedNote)).toBe('duplicate');
    expect(await log(1002)).toEqual([refusedNote]);
  });

  it('puts a running job back in the queue as it was before its claim', async () => {
    await storeOf().recordDeployJob(job(1001, 10));
    await storeOf().claimDeployJob(1001, 'octo-org/web:staging', 'runner-a', 20);
    await storeOf().recordDeployJobPid(1001, 4242);
    await storeOf().recordDeployJobWorkDir(1001, '/tmp/deploybot-1001-abc');
    expect(await storeOf().requeueDeployJob(1001)).toBe(true);
    expect(await storeOf().requeueDeployJob(1001)).toBe(false);
    expect(await storeOf().getDeployJob(1001)).toMatchObject({
      state: 'queued',
      startedAt: undefined,
      runner: undefined,
      pid: undefined,
      workDir: undefined,
    });
    expect(await storeOf().claimDeployJob(1001, 'octo-org/web:staging', 'runner-b', 30)).toBe(true);
  });

  it('fills in the details of a job created without them, and only then', async () => {
    await storeOf().recordDeployJob({
      ...job(1001, 10),
      task: undefined,
      creator: undefined,
      payload: undefined,
    });
    expect(await storeOf().getDeployJob(1001)).toMatchObject({ payload: undefined, task: undefined });
    await storeOf().fillDeployJobDetails(1001, {
      task: 'deploy:migrate',
      creator: 'mona',
      payload: { pull_request: 4 },
    });
    await storeOf().fillDeployJobDetails(1001, { task: 'other', creator: 'other', payload: {} });
    expect(await storeOf().getDeployJob(1001)).toMatchObject({
      task: 'deploy:migrate',
      creator: 'mona',
      payload: { pull_request: 4 },
    });
  });

  it('remembers the process group and working copy of a running deploy', async () => {
    await storeOf().recordDeployJob(job(1001, 10));
    await storeOf().recordDeployJob({ ...job(1002, 10), payload: null });
    await storeOf().recordDeployJobPid(1001, 4242);
    await storeOf().recordDeployJobWorkDir(1001, '/tmp/deploybot-1001-abc');
    expect(await storeOf().getDeployJob(1001)).toMatchObject({
      pid: 4242,
      workDir: '/tmp/deploybot-1001-abc',
    });
    // A null payload is a known payload, unlike a missing one.
    expect((await storeOf().getDeployJob(1002))?.payload).toBeNull();
  });
});

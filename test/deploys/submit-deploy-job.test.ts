import { describe, expect, it } from 'vitest';
import { createSubmitDeployJob } from '../../src/deploys/submit-deploy-job.js';
import { BOT_SECRET, FLOW_CREATOR, FLOW_REPO, flowConfig } from '../support/deployer/deploy-flows.js';
import { createManualScheduler } from '../support/manual-scheduler.js';
import { createMemoryIdentity } from '../support/memory/memory-identity.js';
import { createMemoryLog } from '../support/memory/memory-log.js';
import { createMemoryStore } from '../support/memory/memory-store.js';

const SHA = 'b'.repeat(40);

const NOW = Date.parse('2026-12-01T12:00:00Z');

function setUp(config = flowConfig()) {
  const jobs = createMemoryStore();
  const scheduler = createManualScheduler(NOW);
  const identity = createMemoryIdentity(FLOW_CREATOR);
  const log = createMemoryLog();
  const settled: number[] = [];
  let tokens = 0;
  const submit = createSubmitDeployJob({
    config,
    jobs,
    clock: scheduler,
    identity,
    log,
    newToken: () => `token-${++tokens}`,
    secrets: [BOT_SECRET],
    settle: async (id) => {
      settled.push(id);
    },
  });
  return { jobs, submit, settled, log, identity };
}

const deployment = (fields: Record<string, unknown> = {}) => ({
  repository: FLOW_REPO,
  id: 1001,
  sha: SHA,
  ref: 'main',
  environment: 'staging',
  creator: FLOW_CREATOR,
  createdAt: new Date(NOW - 60_000).toISOString(),
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
      enqueuedAt: NOW,
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

  it.each([
    [
      'an untrusted creator',
      { creator: 'mallory' },
      "not run: created by mallory, who is not among this environment's trusted_creators",
    ],
    [
      'no creator at all',
      { creator: undefined },
      "not run: created by an unknown account, who is not among this environment's trusted_creators",
    ],
    [
      'a deployment three days old',
      { createdAt: new Date(NOW - 3 * 86_400_000).toISOString() },
      'not run: created 3 days ago',
    ],
    ['a deployment of unknown age', { createdAt: undefined }, 'not run: its creation time is unknown'],
  ])('does not run %s: finished in error once, its log saying why', async (_what, fields, description) => {
    const { jobs, submit, settled, log } = setUp();
    const result = await submit(deployment(fields));
    expect(result).toEqual({ kind: 'not_run', reason: description.slice('not run: '.length) });
    expect(await jobs.getDeployJob(1001)).toMatchObject({
      state: 'finished',
      finalStatus: 'owed',
      outcome: { state: 'error', description },
    });
    expect((await jobs.readDeployLog(1001, 0, 10)).map((c) => c.text)).toEqual([
      `[deploybot] error: ${description}\n`,
    ]);
    expect(settled).toEqual([1001]);
    expect(log.messages('warn')).toEqual(['deployment not run']);
    expect(await submit(deployment(fields))).toEqual({ kind: 'duplicate' });
    expect(settled).toEqual([1001]);
  });

  it('keeps a queued job of deploybot when the same deployment comes again without its creator', async () => {
    const { jobs, submit, settled } = setUp();
    expect(await submit(deployment())).toEqual({ kind: 'queued' });
    expect(await submit(deployment({ creator: undefined, createdAt: undefined }))).toEqual({
      kind: 'duplicate',
    });
    expect(await jobs.getDeployJob(1001)).toMatchObject({ state: 'queued', creator: FLOW_CREATOR });
    expect(settled).toEqual([]);
  });

  it("runs a trusted creator's deployment, compared without case", async () => {
    const config = flowConfig();
    const staging = config.repos[0]?.environments.find((e) => e.name === 'staging');
    if (!staging) throw new Error('the flow config has a staging environment');
    const trusting = {
      ...config,
      repos: config.repos.map((repo) => ({
        ...repo,
        environments: repo.environments.map((e) =>
          e === staging ? { ...e, trustedCreators: ['GitHub-Actions[bot]'] } : e,
        ),
      })),
    };
    const { submit } = setUp(trusting);
    expect(await submit(deployment({ creator: 'github-actions[bot]' }))).toEqual({ kind: 'queued' });
    expect(
      await submit(deployment({ id: 1002, environment: 'qa', creator: 'github-actions[bot]' })),
    ).toMatchObject({
      kind: 'not_run',
    });
  });

  it('fails, recording nothing, while deploybot cannot learn its own login: the caller tries again', async () => {
    const { jobs, submit, identity } = setUp();
    identity.fail(new Error('GitHub is down'));
    await expect(submit(deployment())).rejects.toThrow('GitHub is down');
    expect(await jobs.getDeployJob(1001)).toBeUndefined();
    identity.fail(undefined);
    expect(await submit(deployment())).toEqual({ kind: 'queued' });
  });
});

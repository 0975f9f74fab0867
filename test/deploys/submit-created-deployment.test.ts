import { describe, expect, it } from 'vitest';
import type { IncomingDeployment } from '../../src/core/deploy-intake.js';
import { SUBMIT_RETRY_DELAYS_MS } from '../../src/deployer/create-deployer-from-settings.js';
import { createSubmitCreatedDeployment } from '../../src/deploys/submit-created-deployment.js';
import { createLogger } from '../../src/logger.js';
import { createManualScheduler } from '../support/manual-scheduler.js';

/** A submit that fails its first `failures` calls. */
function flakySubmit(failures: number) {
  const submit = Object.assign(
    async (deployment: IncomingDeployment) => {
      submit.calls += 1;
      submit.submitted.push(deployment);
      if (submit.calls <= failures) throw new Error('the store is down');
      return { kind: 'queued' as const };
    },
    { calls: 0, submitted: [] as IncomingDeployment[] },
  );
  return submit;
}

const CREATED = {
  id: 4242,
  sha: 'a'.repeat(40),
  ref: 'main',
  environment: 'staging',
  createdAt: '2026-01-01T00:00:00Z',
  task: 'deploy',
  payload: { deploy_user: 'octocat' },
  creator: 'deploybot[bot]',
};

describe('handing the deployer a deployment deploybot created', () => {
  const connect = (submit: ReturnType<typeof flakySubmit>, retryDelaysMs = [1, 1, 1]) => {
    const lines: string[] = [];
    const log = createLogger({
      level: 'debug',
      destination: { write: (line: string) => lines.push(line) },
    });
    const entries = () => lines.map((line) => JSON.parse(line) as { level: number; msg: string });
    const scheduler = createManualScheduler();
    const deploymentCreated = createSubmitCreatedDeployment({ submit, scheduler, log, retryDelaysMs });
    return { deploymentCreated, entries, scheduler };
  };

  it('tries again when the submit fails, without giving the caller an error', async () => {
    const submit = flakySubmit(2);
    const { deploymentCreated, entries, scheduler } = connect(submit);
    const handed = deploymentCreated('octo-org/web', CREATED);
    await scheduler.advance(10);
    await expect(handed).resolves.toBeUndefined();
    expect(submit.calls).toBe(3);
    expect(entries().filter((e) => e.level >= 50)).toEqual([]);
    // What GitHub answered travels along, so running it need not ask GitHub again.
    expect(submit.submitted[0]).toEqual({
      repository: 'octo-org/web',
      id: 4242,
      sha: 'a'.repeat(40),
      ref: 'main',
      environment: 'staging',
      task: 'deploy',
      payload: { deploy_user: 'octocat' },
      creator: 'deploybot[bot]',
      createdAt: '2026-01-01T00:00:00Z',
    });
  });

  it('logs an error once every try failed, and still does not throw', async () => {
    const submit = flakySubmit(10);
    const { deploymentCreated, entries, scheduler } = connect(submit);
    const handed = deploymentCreated('octo-org/web', CREATED);
    await scheduler.advance(10);
    await expect(handed).resolves.toBeUndefined();
    expect(submit.calls).toBe(4);
    expect(
      entries()
        .filter((e) => e.level >= 50)
        .map((e) => e.msg),
    ).toEqual(['could not queue a deployment deploybot created; it runs only if its webhook comes']);
  });

  it('waits the production delays between tries, on the scheduler', async () => {
    const submit = flakySubmit(10);
    const { deploymentCreated, scheduler } = connect(submit, [...SUBMIT_RETRY_DELAYS_MS]);
    const handed = deploymentCreated('octo-org/web', CREATED);
    await scheduler.advance(0);
    expect(submit.calls).toBe(1);
    await scheduler.advance(SUBMIT_RETRY_DELAYS_MS[0]! - 1);
    expect(submit.calls).toBe(1);
    await scheduler.advance(1);
    expect(submit.calls).toBe(2);
    await scheduler.advance(SUBMIT_RETRY_DELAYS_MS[1]! + SUBMIT_RETRY_DELAYS_MS[2]!);
    await handed;
    expect(submit.calls).toBe(4);
  });
});

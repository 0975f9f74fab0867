import { describe, expect, it } from 'vitest';
import type { IncomingDeployment } from '../../src/core/deploy-intake.js';
import type { Deployer } from '../../src/deployer/deployer.js';
import { connectDeployer } from '../../src/deployer/wire.js';
import { createLogger } from '../../src/logger.js';

/** A deployer whose submit fails its first `failures` calls; everything else is unused here. */
function flakyDeployer(failures: number): Deployer & { calls: number; submitted: IncomingDeployment[] } {
  const deployer = {
    calls: 0,
    submitted: [] as IncomingDeployment[],
    async submit(deployment: IncomingDeployment) {
      deployer.calls += 1;
      deployer.submitted.push(deployment);
      if (deployer.calls <= failures) throw new Error('the store is down');
      return { kind: 'queued' as const };
    },
    cancel: async () => ({ cancelled: [] }),
    start: async () => undefined,
    stop: async () => undefined,
  };
  return deployer;
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
  const connect = (deployer: Deployer) => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'debug',
      destination: { write: (line: string) => lines.push(line) },
    });
    const entries = () => lines.map((line) => JSON.parse(line) as { level: number; msg: string });
    return { hooks: connectDeployer(deployer, logger, [1, 1, 1]), entries };
  };

  it('tries again when the submit fails, without giving the caller an error', async () => {
    const deployer = flakyDeployer(2);
    const { hooks, entries } = connect(deployer);
    await expect(hooks.onDeploymentCreated('octo-org/web', CREATED)).resolves.toBeUndefined();
    expect(deployer.calls).toBe(3);
    expect(entries().filter((e) => e.level >= 50)).toEqual([]);
    // What GitHub answered travels along, so running it need not ask GitHub again.
    expect(deployer.submitted[0]).toEqual({
      repository: 'octo-org/web',
      id: 4242,
      sha: 'a'.repeat(40),
      ref: 'main',
      environment: 'staging',
      task: 'deploy',
      payload: { deploy_user: 'octocat' },
      creator: 'deploybot[bot]',
    });
  });

  it('logs an error once every try failed, and still does not throw', async () => {
    const deployer = flakyDeployer(10);
    const { hooks, entries } = connect(deployer);
    await expect(hooks.onDeploymentCreated('octo-org/web', CREATED)).resolves.toBeUndefined();
    expect(deployer.calls).toBe(4);
    expect(
      entries()
        .filter((e) => e.level >= 50)
        .map((e) => e.msg),
    ).toEqual(['could not queue a deployment deploybot created; it runs only if its webhook comes']);
  });
});

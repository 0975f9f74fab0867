import { copyFile, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deployConfig } from '../support/deployer/deploy-harness.js';
import { createDeployerRig, type DeployerRig } from '../support/deployer/deployer-rig.js';
import { FIXTURE_SCRIPT, readJson } from '../support/deployer/files.js';
import { createTestRepo, type TestRepo } from '../support/deployer/git-repo.js';

const WAIT = { timeoutMs: 20_000 };

describe('where a script runs and what it is fetched with', () => {
  let repo: TestRepo;
  let rig: DeployerRig | undefined;
  beforeAll(async () => {
    repo = await createTestRepo([{ VERSION: '7\n' }]);
  });
  afterAll(async () => {
    await repo.cleanup();
  });
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('fetches from a clone_url elsewhere without asking GitHub for a token, so a GitHub outage does not matter', async () => {
    let tokensAsked = 0;
    rig = await createDeployerRig({
      config: (resultDir) =>
        deployConfig(
          {
            staging: {
              provider: {
                type: 'script',
                command: [process.execPath, FIXTURE_SCRIPT, 'record'],
                env: { RESULT_DIR: resultDir },
              },
            },
          },
          repo.bareDir,
        ),
      gitToken: async () => {
        tokensAsked += 1;
        throw new Error('GitHub is down');
      },
    });
    await rig.deployer.start();
    const { id } = await rig.deploy('staging', repo.shas[0]);
    await rig.github.waitForStatus(id, 'success', WAIT);
    const seen = await readJson<{ version: string }>(join(rig.resultDir, `run-${id}.json`));
    expect(seen.version).toBe('7\n');
    expect(tokensAsked).toBe(0);
  });

  it("runs a script that checks nothing out in deploybot's working directory, so relative commands work", async () => {
    const baseDir = await realpath(await mkdtemp(join(tmpdir(), 'deploybot-base-')));
    try {
      await copyFile(FIXTURE_SCRIPT, join(baseDir, 'deploy.mjs'));
      rig = await createDeployerRig({
        baseDir,
        config: (resultDir) =>
          deployConfig({
            staging: {
              provider: {
                type: 'script',
                command: [process.execPath, './deploy.mjs', 'record'],
                checkout: false,
                env: { RESULT_DIR: resultDir },
              },
            },
          }),
      });
      await rig.deployer.start();
      const { id } = await rig.deploy('staging');
      await rig.github.waitForStatus(id, 'success', WAIT);
      const seen = await readJson<{ cwd: string }>(join(rig.resultDir, `run-${id}.json`));
      expect(seen.cwd).toBe(baseDir);
      // Nothing was recorded as a working copy to remove: a restart must not delete deploybot's directory.
      expect((await rig.store.getDeployJob(id))?.workDir).toBeUndefined();
    } finally {
      await rig?.close();
      rig = undefined;
      await rm(baseDir, { recursive: true, force: true });
    }
  });
});

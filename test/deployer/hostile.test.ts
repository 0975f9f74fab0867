import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DeployHarness,
  deployConfig,
  fixtureProvider,
  REPO,
  readLogPage,
  startDeployHarness,
} from '../support/deployer/deploy-harness.js';
import { readJobRow } from '../support/deployer/store-rows.js';

const SHA = 'd'.repeat(40);
const WAIT = { timeoutMs: 20_000 };

describe('hostile refs and names', () => {
  let h: DeployHarness;
  beforeAll(async () => {
    h = await startDeployHarness((resultDir) =>
      deployConfig(
        { staging: { aliases: ['stg'], provider: fixtureProvider(resultDir, ['record']) } },
        '/nonexistent/web.git',
      ),
    );
  });
  afterAll(async () => {
    await h.stop();
  });

  it.each([
    [
      'an option as ref',
      { ref: '--upload-pack=touch /tmp/pwned', sha: SHA },
      /^refused: ref "--upload-pack=touch \/tmp\/pwned" is not a valid git ref$/,
    ],
    [
      'a ref with a shell command',
      { ref: 'main; rm -rf ~', sha: SHA },
      /^refused: ref "main; rm -rf ~" is not a valid git ref$/,
    ],
    ['a ref climbing out', { ref: 'refs/heads/../../x', sha: SHA }, /is not a valid git ref$/],
    [
      'an option as sha',
      { ref: 'main', sha: '--upload-pack=evil' },
      /^refused: sha "--upload-pack=evil" is not a full 40-character commit sha$/,
    ],
    ['a short sha', { ref: 'main', sha: 'abc1234' }, /is not a full 40-character commit sha$/],
    [
      'an environment with a leading space',
      { ref: 'main', sha: SHA, environment: ' staging' },
      /^refused: environment " staging" is not a valid environment name$/,
    ],
  ])('refuses %s with error and runs nothing', async (_what, input, description) => {
    const deployment = h.github.createDeploymentDirectly(REPO, { environment: 'staging', ...input });
    const error = await h.github.waitForStatus(deployment.id, 'error', WAIT);
    expect(error.description).toMatch(description);
    expect(h.github.statuses(deployment.id).map((s) => s.state)).toEqual(['error']);
    expect((await readLogPage(h.url, error.log_url)).text).toContain('[deploybot] error: refused:');
    expect(existsSync(join(h.resultDir, 'runs.log'))).toBe(false);
  });

  it.each(['--upload-pack=evil', '../../etc/passwd', 'staging\nproduction', 'stg'])(
    'leaves deployments to environments it does not deploy, such as %j, alone',
    async (environment) => {
      // An alias is a shorthand for people in chat: a deployment to `stg` is not one to staging.
      const deployment = h.github.createDeploymentDirectly(REPO, { ref: 'main', sha: SHA, environment });
      await h.github.flushWebhooks();
      await h.app.idle();
      const delivered = h.github.sentWebhooks.at(-1);
      expect(delivered).toMatchObject({ event: 'deployment' });
      expect(delivered?.status).toBeGreaterThanOrEqual(200);
      expect(delivered?.status).toBeLessThan(300);
      expect(h.github.statuses(deployment.id)).toEqual([]);
      expect(readJobRow(h.dataDir, deployment.id)).toBeUndefined();
      expect(existsSync(join(h.resultDir, 'runs.log'))).toBe(false);
    },
  );
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DeployHarness,
  deployConfig,
  fixtureProvider,
  REPO,
  readLogPage,
  startDeployHarness,
} from '../support/deployer/deploy-harness.js';

const SHA = '5'.repeat(40);
const WAIT = { timeoutMs: 20_000 };
const LIMIT = 4096;

describe('the end of a deploy log', () => {
  let h: DeployHarness;
  beforeAll(async () => {
    h = await startDeployHarness(
      (resultDir) =>
        deployConfig({
          staging: { provider: fixtureProvider(resultDir, ['flood', '100000']) },
          qa: { provider: fixtureProvider(resultDir, ['flood', '300']) },
        }),
      { env: { DEPLOY_LOG_LIMIT_BYTES: String(LIMIT) } },
    );
  });
  afterAll(async () => {
    await h.stop();
  });

  it('still says how the deploy ended when the output went past the cap', async () => {
    const deployment = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'staging',
    });
    const success = await h.github.waitForStatus(deployment.id, 'success', WAIT);
    const log = await readLogPage(h.url, success.log_url);
    expect(log).toMatchObject({ state: 'success', final: true });
    expect(log.text).toContain(
      '\n[deploybot] The log reached its limit of 4 KiB here; the rest of the output was not kept.\n',
    );
    expect(log.text).not.toContain('the last line');
    expect(log.text).toMatch(
      /\n\[deploybot\] The log reached .*\n\[deploybot\] success: deployed in [^\n]+\n$/,
    );
    expect(Buffer.byteLength(log.text)).toBeLessThan(LIMIT + 300);
  });

  it('puts the notes after output that did not end its line on lines of their own, in order', async () => {
    const deployment = h.github.createDeploymentDirectly(REPO, { ref: 'main', sha: SHA, environment: 'qa' });
    const success = await h.github.waitForStatus(deployment.id, 'success', WAIT);
    const log = await readLogPage(h.url, success.log_url);
    expect(log.text).toMatch(
      /\nthe last line, without its newline\n\[deploybot\] exit code 0\n\[deploybot\] success: deployed in [^\n]+\n$/,
    );
  });
});

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/child-process.js';
import { useChromium } from '../support/deployer/browser.js';
import {
  type DeployHarness,
  deployConfig,
  fixtureProvider,
  REPO,
  startDeployHarness,
} from '../support/deployer/deploy-harness.js';
import { release, waitForFile } from '../support/deployer/files.js';
import { SECRETS } from '../support/harness.js';

const SHA = '1234567890abcdef1234567890abcdef12345678';
const WAIT = { timeoutMs: 20_000 };
const PAGE_WAIT = { timeout: 20_000 };

describe('Sign in with Slack in a real browser', () => {
  const browserOf = useChromium();
  let h: DeployHarness;

  beforeEach(async () => {
    // The browser must come back to the address deploybot names in redirect_uri: PUBLIC_URL.
    const port = await freePort();
    h = await startDeployHarness(
      (resultDir) => deployConfig({ staging: { provider: fixtureProvider(resultDir, ['chatty']) } }),
      {
        env: {
          PORT: String(port),
          PUBLIC_URL: `http://127.0.0.1:${port}`,
          SLACK_CLIENT_ID: '1111.2222',
          SLACK_CLIENT_SECRET: SECRETS.slackClientSecret,
        },
      },
    );
  });
  afterEach(async () => {
    await h.stop();
  });

  it('signs in through Slack, sees the live page, and signs in again when the session is gone', async () => {
    const deployment = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'staging',
    });
    const pending = await h.github.waitForStatus(deployment.id, 'pending', WAIT);
    await waitForFile(join(h.resultDir, `started-${deployment.id}`));
    const pageUrl = `${h.settings.publicUrl}${new URL(pending.log_url).pathname}`;

    h.slack.signInAs('U0ALICE');
    const context = await browserOf().newContext();
    const page = await context.newPage();
    const response = await page.goto(pageUrl);
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(pageUrl);
    expect(h.slack.authorizeRequests).toHaveLength(1);
    await expect(page.textContent('#state')).resolves.toBe('running');
    await page.waitForFunction(
      () => document.getElementById('log')?.textContent?.includes('line one'),
      null,
      PAGE_WAIT,
    );
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'deploybot_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
      secure: false,
    });

    // The session ends while the page watches: its next poll gets 401, it reloads through Slack.
    await context.clearCookies();
    h.slack.signInAs('U0BOB');
    await release(h.resultDir, deployment.id);
    await page.waitForFunction(
      () =>
        document.getElementById('state')?.textContent === 'success' &&
        document.getElementById('log')?.textContent?.includes('all done'),
      null,
      PAGE_WAIT,
    );
    expect(h.slack.authorizeRequests).toHaveLength(2);
    expect(page.url()).toBe(pageUrl);
    await context.close();
  });
});

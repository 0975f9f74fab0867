import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useChromium } from '../support/deployer/browser.js';
import {
  type DeployHarness,
  deployConfig,
  fixtureProvider,
  REPO,
  startDeployHarness,
} from '../support/deployer/deploy-harness.js';
import { release, waitForFile } from '../support/deployer/files.js';

const SECRET_VALUE = 's3cr3t-provider-value-Q9';
const SHA = '1234567890abcdef1234567890abcdef12345678';
const WAIT = { timeoutMs: 20_000 };
const PAGE_WAIT = { timeout: 20_000 };

describe('the log page in a real browser', () => {
  const browserOf = useChromium();
  let h: DeployHarness;

  beforeEach(async () => {
    h = await startDeployHarness((resultDir) =>
      deployConfig({
        staging: {
          provider: fixtureProvider(resultDir, ['chatty'], { env: { SECRET_VALUE } }),
        },
      }),
    );
  });
  afterEach(async () => {
    await h.stop();
  });

  it('shows the deployment and its log, updates live while it runs, masks secrets and escapes output', async () => {
    const deployment = h.github.createDeploymentDirectly(REPO, {
      // A ref with markup is refused before it runs (chat's ref rules); the user carries it instead.
      ref: 'feature/x',
      sha: SHA,
      environment: 'staging',
      payload: { deploy_user: '<b>alice</b>' },
    });
    const pending = await h.github.waitForStatus(deployment.id, 'pending', WAIT);
    await waitForFile(join(h.resultDir, `started-${deployment.id}`));
    const pageUrl = `${h.url}${new URL(pending.log_url).pathname}`;

    const page = await browserOf().newPage();
    const response = await page.goto(pageUrl);
    expect(response?.status()).toBe(200);
    await expect(page.textContent('#state')).resolves.toBe('running');
    expect(await page.textContent('h1')).toBe('octo-org/web → staging');
    expect(await page.textContent('#ref')).toBe('feature/x');
    expect(await page.textContent('#sha')).toBe(SHA);
    expect(await page.textContent('#environment')).toBe('staging');
    expect(await page.textContent('#user')).toBe('<b>alice</b>');
    expect(await page.locator('#user b').count()).toBe(0);
    await page.waitForFunction(
      () => document.getElementById('log')?.textContent?.includes('line one'),
      null,
      PAGE_WAIT,
    );

    await release(h.resultDir, deployment.id);
    // Same page, no reload: it polls while the deploy runs.
    await page.waitForFunction(
      () =>
        document.getElementById('state')?.textContent === 'success' &&
        document.getElementById('log')?.textContent?.includes('all done'),
      null,
      PAGE_WAIT,
    );
    const log = (await page.textContent('#log')) ?? '';
    expect(log).toContain('line one <b>bold?</b> <img src=x onerror="window.pwned=1"> & done');
    expect(await page.locator('#log img, #log b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(log).toContain('secret follows: [masked] (that was it)');
    expect(log).not.toContain(SECRET_VALUE.slice(0, 8));
    expect(log).not.toContain(SECRET_VALUE.slice(-8));
    expect(await page.textContent('#description')).toMatch(/^deployed in /);
    expect(await page.textContent('#finished')).toMatch(/UTC$/);
    await page.close();
  });

  it('reads well on a phone: no sideways scrolling, long lines wrap', async () => {
    const deployment = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'staging',
    });
    const pending = await h.github.waitForStatus(deployment.id, 'pending', WAIT);
    await waitForFile(join(h.resultDir, `started-${deployment.id}`));
    await release(h.resultDir, deployment.id);
    await h.github.waitForStatus(deployment.id, 'success', WAIT);

    const context = await browserOf().newContext({
      viewport: { width: 360, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto(`${h.url}${new URL(pending.log_url).pathname}`);
    expect(await page.textContent('#log')).toContain('x'.repeat(400));
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      viewport: document.querySelector('meta[name="viewport"]')?.getAttribute('content'),
      fontSize: Number.parseFloat(getComputedStyle(document.getElementById('log') as Element).fontSize),
    }));
    expect(layout.viewport).toBe('width=device-width, initial-scale=1');
    expect(layout.innerWidth).toBe(360);
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
    expect(layout.fontSize).toBeGreaterThanOrEqual(12);
    await context.close();
  });

  it('answers a wrong token with 404', async () => {
    const deployment = h.github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: SHA,
      environment: 'staging',
    });
    const pending = await h.github.waitForStatus(deployment.id, 'pending', WAIT);
    const path = new URL(pending.log_url).pathname;
    const wrong = path.replace(
      /[^/]+$/,
      (token) => `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`,
    );
    const page = await browserOf().newPage();
    const response = await page.goto(`${h.url}${wrong}`);
    expect(response?.status()).toBe(404);
    expect(await page.textContent('body')).not.toContain('octo-org/web');
    await page.close();
    await release(h.resultDir, deployment.id);
    await h.github.waitForStatus(deployment.id, 'success', WAIT);
  });
});

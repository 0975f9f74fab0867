import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useChromium } from '../support/deployer/browser.js';
import { type PlaygroundRig, startPlaygroundRig } from './playground-rig.js';

const PAGE_WAIT = { timeout: 20_000 };

describe('the playground in a real browser', () => {
  const browserOf = useChromium();
  let rig: PlaygroundRig;
  let page: Page;

  beforeEach(async () => {
    rig = await startPlaygroundRig();
    page = await browserOf().newPage();
    const response = await page.goto(rig.playground.pageUrl);
    expect(response?.status()).toBe(200);
    await page.waitForSelector('#channels button.active', PAGE_WAIT);
  });
  afterEach(async () => {
    await page.close();
    await rig.playground.stop();
  });

  async function type(text: string) {
    await page.fill('#composer', text);
    await page.press('#composer', 'Enter');
  }

  /** The channel's message whose text includes `text`, once it is there. */
  function message(text: string | RegExp) {
    return page.locator('#messages .message', { hasText: text }).first();
  }

  it('deploys from a slash command: the announcement appears and reaches success', async () => {
    expect(await page.textContent('#channel-name')).toBe('# c0web');
    await type('/deploy web to staging');
    await message('/deploy web to staging').waitFor(PAGE_WAIT);
    await message('created').waitFor(PAGE_WAIT);
    await message(/Deployed: acme\/web main .* to staging/).waitFor(PAGE_WAIT);
    await page.locator('#deployments .deployment .state.success').first().waitFor(PAGE_WAIT);
    const log = await page.getAttribute('#deployments .deployment a.log', 'href');
    expect(log).toMatch(new RegExp(`^${rig.playground.deploybotUrl}/deploys/\\d+/`));
    const logPage = await browserOf().newPage();
    expect((await logPage.goto(log ?? ''))?.status()).toBe(200);
    await logPage.close();
  });

  it('asks before deploying to production, and deploys when the button is pressed', async () => {
    await type('/deploy web to production');
    const confirm = page.locator('#messages button[data-action="deploy_confirm"]');
    await confirm.waitFor(PAGE_WAIT);
    expect(await page.locator('#deployments .deployment').count()).toBe(0);
    await confirm.click();
    await message(/Deployed: acme\/web .* to production/).waitFor(PAGE_WAIT);
    await page.locator('#deployments .deployment .state.success').first().waitFor(PAGE_WAIT);
    expect(await page.locator('#messages button[data-action="deploy_confirm"]').count()).toBe(0);
  });

  it('deploys a merged pull request once CI passes in the GitHub panel', async () => {
    await page.click('#pulls .pull[data-number="1"] button.merge');
    await message('waiting for CI').waitFor(PAGE_WAIT);
    const mergeCommit = page.locator('#commits .commit', { hasText: 'Merge pull request #1' });
    await mergeCommit.locator('.state.pending').waitFor(PAGE_WAIT);
    expect(await page.locator('#deployments .deployment').count()).toBe(0);
    await mergeCommit.locator('button.ci[data-state="success"]').click();
    await message('checks passed').waitFor(PAGE_WAIT);
    await message(/Deployed: acme\/web .* to staging/).waitFor(PAGE_WAIT);
    const state = await rig.state();
    const merged = state.github.pulls.find((pull) => pull.number === 1);
    expect(merged?.state).toBe('merged');
    expect(state.github.deployments.map((each) => each.state)).toEqual(['success']);
  });
});

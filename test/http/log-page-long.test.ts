import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogPageRouter, PAGE_CHUNKS } from '../../src/http/log-page.js';
import { createLogger } from '../../src/logger.js';
import { openDatabase } from '../../src/store/database.js';
import { createStore, type Store } from '../../src/store/store.js';
import { createSqliteDatabase, type TestDatabase } from '../support/databases.js';
import { launchChromium } from '../support/deployer/browser.js';

const TOKEN = 'tok_long_log_0123456789abcdef01234567';
const TOTAL = PAGE_CHUNKS + 700;
const CLOSING = '[deploybot] success: deployed in 42s\n';

describe('the log page of a finished deploy with more chunks than one page holds', () => {
  let browser: Browser;
  let database: TestDatabase;
  let store: Store;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    database = await createSqliteDatabase();
    store = createStore(await openDatabase(database.setting));
    await store.recordDeployJob({
      deploymentId: 1001,
      repository: 'octo-org/web',
      environment: 'staging',
      lane: 'octo-org/web:staging',
      ref: 'main',
      sha: 'a'.repeat(40),
      task: 'deploy',
      creator: 'octocat',
      payload: {},
      logToken: TOKEN,
      enqueuedAt: 1_000,
    });
    await store.claimDeployJob(1001, 'octo-org/web:staging', 'runner', 2_000);
    for (let seq = 1; seq <= TOTAL; seq++) await store.appendDeployLog(1001, seq, `line ${seq}\n`, 2_000);
    await store.finishDeployJob(
      1001,
      'running',
      { state: 'success', description: 'deployed in 42s' },
      44_000,
      CLOSING,
    );

    const app = express();
    app.use(
      '/deploys',
      createLogPageRouter({ store, clock: { now: () => 50_000 }, logger: createLogger({ level: 'silent' }) }),
    );
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/deploys`;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
    await store.close();
    await database.drop();
  });

  it('shows every line down to the closing one, fetching only what the page lacked', async () => {
    const page = await browser.newPage();
    const fetched: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/log.json')) fetched.push(new URL(request.url()).search);
    });
    await page.goto(`${base}/1001/${TOKEN}`);
    await page.waitForFunction(
      (closing) => document.getElementById('log')?.textContent?.endsWith(closing),
      CLOSING,
      { timeout: 20_000 },
    );
    const lines = ((await page.textContent('#log')) ?? '').split('\n').filter(Boolean);
    expect(lines).toHaveLength(TOTAL + 1);
    expect(lines[0]).toBe('line 1');
    expect(lines[TOTAL - 1]).toBe(`line ${TOTAL}`);
    expect(await page.textContent('#state')).toBe('success');
    // The page asked for what it lacked, from where it left off, and no more once it had it all.
    expect(fetched[0]).toBe(`?after=${PAGE_CHUNKS}`);
    expect(fetched.length).toBeLessThanOrEqual(3);
    await page.close();
  });
});

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewDeployJob } from '../../src/core/ports/deploy-job-store.js';
import { createLogPageRouter, PAGE_CHUNKS, tokensMatch } from '../../src/http/log-page.js';
import { createLogger } from '../../src/logger.js';
import { openDatabase } from '../../src/store/database.js';
import { createStore, type Store } from '../../src/store/store.js';
import { createSqliteDatabase, type TestDatabase } from '../support/databases.js';

const TOKEN = 'tok_2f8a9c0d1e2f3a4b5c6d7e8f9a0b1c2d';

describe('log page routes', () => {
  let database: TestDatabase;
  let store: Store;
  let server: Server;
  let base: string;

  beforeEach(async () => {
    database = await createSqliteDatabase();
    store = createStore(await openDatabase(database.setting));
    const app = express();
    app.use(
      '/deploys',
      createLogPageRouter({ store, clock: { now: () => 5_000 }, logger: createLogger({ level: 'silent' }) }),
    );
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/deploys`;
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
    await database.drop();
  });

  const job = (overrides: Partial<NewDeployJob> = {}): NewDeployJob => ({
    deploymentId: 1001,
    repository: 'octo-org/web',
    environment: 'staging',
    lane: 'octo-org/web:staging',
    ref: '<script>alert(1)</script>',
    sha: 'a'.repeat(40),
    task: 'deploy',
    creator: 'octocat',
    payload: { deploy_user: '"><img src=x onerror=alert(2)>' },
    logToken: TOKEN,
    enqueuedAt: 1_000,
    ...overrides,
  });

  it('serves the page with every untrusted string escaped, private and locked down', async () => {
    await store.recordDeployJob(job());
    await store.appendDeployLog(1001, 1, '</pre><script>alert(3)</script>\n', 1_100);
    const response = await fetch(`${base}/1001/${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await response.text();
    const nonce = /script-src 'nonce-([^']+)'/.exec(
      response.headers.get('content-security-policy') ?? '',
    )?.[1];
    expect(nonce).toBeTruthy();
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('&lt;/pre&gt;&lt;script&gt;alert(3)&lt;/script&gt;');
    expect(html).toContain('<span id="state" class="state state-queued">queued</span>');
    expect(html).toContain('data-final="false"');
  });

  it.each([
    ['a wrong token', `1001/${TOKEN.slice(0, -1)}x`],
    ['a token prefix', `1001/${TOKEN.slice(0, 10)}`],
    ['another deployment', `1002/${TOKEN}`],
    ['a deployment that does not exist', `9999/${TOKEN}`],
    ['an id that is not a number', `10e3/${TOKEN}`],
  ])('answers %s with 404, page and JSON alike', async (_what, path) => {
    await store.recordDeployJob(job());
    await store.recordDeployJob(job({ deploymentId: 1002, logToken: 'another-token-entirely-0123456789' }));
    for (const url of [`${base}/${path}`, `${base}/${path}/log.json`]) {
      const response = await fetch(url);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('octo-org');
    }
  });

  it('serves the log as JSON from any point, in pages, with the state and timings', async () => {
    await store.recordDeployJob(job());
    await store.claimDeployJob(1001, 'octo-org/web:staging', 'runner', 2_000);
    for (let seq = 1; seq <= 501; seq++) await store.appendDeployLog(1001, seq, `line ${seq}\n`, 2_000 + seq);
    const first = await (await fetch(`${base}/1001/${TOKEN}/log.json`)).json();
    expect(first).toMatchObject({
      state: 'running',
      description: 'deploying',
      enqueuedAt: 1_000,
      startedAt: 2_000,
      finishedAt: null,
      now: 5_000,
      final: false,
      more: true,
    });
    expect(first.chunks).toHaveLength(500);
    const rest = await (await fetch(`${base}/1001/${TOKEN}/log.json?after=500`)).json();
    expect(rest).toMatchObject({ chunks: [{ seq: 501, text: 'line 501\n' }], more: false });

    await store.finishDeployJob(
      1001,
      'running',
      { state: 'failure', description: 'script exited with code 3' },
      4_000,
    );
    const done = await (await fetch(`${base}/1001/${TOKEN}/log.json?after=501`)).json();
    expect(done).toMatchObject({
      state: 'failure',
      description: 'script exited with code 3',
      finishedAt: 4_000,
      final: true,
      chunks: [],
    });
  });

  it('leaves what a finished log has beyond the page for the page to fetch, to its closing line', async () => {
    await store.recordDeployJob(job());
    await store.claimDeployJob(1001, 'octo-org/web:staging', 'runner', 2_000);
    const total = PAGE_CHUNKS + 150;
    for (let seq = 1; seq <= total; seq++) await store.appendDeployLog(1001, seq, `line ${seq}\n`, 2_000);
    const outcome = { state: 'success' as const, description: 'deployed in 2s' };
    await store.finishDeployJob(1001, 'running', outcome, 4_000, '[deploybot] success: deployed in 2s\n');

    const html = await (await fetch(`${base}/1001/${TOKEN}`)).text();
    expect(html).toContain(`data-after="${PAGE_CHUNKS}" data-final="false"`);
    expect(html).toContain(`line ${PAGE_CHUNKS}\n`);
    expect(html).not.toContain(`line ${PAGE_CHUNKS + 1}\n`);
    // What the page's script then fetches, until the JSON says there is no more.
    let after = PAGE_CHUNKS;
    let rest = '';
    for (;;) {
      const page = await (await fetch(`${base}/1001/${TOKEN}/log.json?after=${after}`)).json();
      for (const chunk of page.chunks) rest += chunk.text;
      after = page.chunks.at(-1)?.seq ?? after;
      if (!page.more) {
        expect(page).toMatchObject({ state: 'success', final: true });
        break;
      }
    }
    expect(rest.startsWith(`line ${PAGE_CHUNKS + 1}\n`)).toBe(true);
    expect(rest.endsWith(`line ${total}\n[deploybot] success: deployed in 2s\n`)).toBe(true);

    // A finished log that fits is final as it is: the page fetches nothing.
    await store.recordDeployJob(job({ deploymentId: 1002, logToken: `${TOKEN}-2` }));
    await store.claimDeployJob(1002, 'octo-org/web:staging', 'runner', 4_100);
    await store.finishDeployJob(1002, 'running', outcome, 4_200, '[deploybot] success: deployed in 2s\n');
    expect(await (await fetch(`${base}/1002/${TOKEN}-2`)).text()).toContain(
      'data-after="1" data-final="true"',
    );
  });

  it('compares tokens by value, whatever their lengths', () => {
    expect(tokensMatch(TOKEN, TOKEN)).toBe(true);
    expect(tokensMatch(TOKEN, `${TOKEN}x`)).toBe(false);
    expect(tokensMatch(TOKEN, '')).toBe(false);
  });
});

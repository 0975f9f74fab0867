import { randomUUID } from 'node:crypto';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMergedPullRequestPayload, deriveSha } from '../../src/stand-ins/github-payloads.js';
import { startGitHubStandIn } from '../../src/stand-ins/github-stand-in.js';
import { pullRequestEventSchema } from '../../src/webhooks/payloads.js';
import { signWebhookBody } from '../../src/webhooks/signature.js';
import { freePort } from '../support/child-process.js';
import { type Harness, SECRETS, startHarness } from '../support/harness.js';
import { countRows, readDelivery } from '../support/stored-rows.js';

interface RawDelivery {
  body: string | Buffer;
  contentType?: string;
  encoding?: string;
  event?: string | null;
  delivery?: string | null;
  signature?: string | null;
}

describe('POST /github/webhooks', () => {
  let h: Harness;
  const payload = () =>
    buildMergedPullRequestPayload({
      repo: 'octo-org/unconfigured',
      number: 7,
      baseRef: 'main',
      mergeCommitSha: deriveSha('unconfigured'),
      author: 'octocat',
    });

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  async function post(d: RawDelivery) {
    const headers: Record<string, string> = {};
    if (d.contentType !== undefined) headers['content-type'] = d.contentType;
    if (d.encoding !== undefined) headers['content-encoding'] = d.encoding;
    if (d.event !== null) headers['x-github-event'] = d.event ?? 'pull_request';
    if (d.delivery !== null) headers['x-github-delivery'] = d.delivery ?? randomUUID();
    const signature =
      d.signature === undefined ? signWebhookBody(SECRETS.githubWebhookSecret, d.body) : d.signature;
    if (signature !== null) headers['x-hub-signature-256'] = signature;
    const body = typeof d.body === 'string' ? d.body : new Uint8Array(d.body);
    const response = await fetch(h.webhookUrl, { method: 'POST', headers, body });
    return { status: response.status, text: await response.text() };
  }

  const json = () => JSON.stringify(payload());
  const rejections: Array<[string, () => RawDelivery, number]> = [
    [
      'a forged signature',
      () => ({ body: json(), contentType: 'application/json', signature: `sha256=${'0'.repeat(64)}` }),
      401,
    ],
    [
      'a signature made with another secret',
      () => ({ body: json(), contentType: 'application/json', signature: signWebhookBody('wrong', json()) }),
      401,
    ],
    ['no signature', () => ({ body: json(), contentType: 'application/json', signature: null }), 401],
    [
      'a sha1 signature',
      () => ({ body: json(), contentType: 'application/json', signature: 'sha1=abc' }),
      401,
    ],
    ['no X-GitHub-Event', () => ({ body: json(), contentType: 'application/json', event: null }), 400],
    ['no X-GitHub-Delivery', () => ({ body: json(), contentType: 'application/json', delivery: null }), 400],
    [
      'a body that is not JSON',
      () => ({ body: '{"action": "closed",', contentType: 'application/json' }),
      400,
    ],
    ['a JSON array', () => ({ body: '[1,2]', contentType: 'application/json' }), 400],
    [
      'a form without payload',
      () => ({ body: 'other=1', contentType: 'application/x-www-form-urlencoded' }),
      400,
    ],
    [
      'a form whose payload is not JSON',
      () => ({ body: 'payload=%7Bnope', contentType: 'application/x-www-form-urlencoded' }),
      400,
    ],
    ['text/plain', () => ({ body: json(), contentType: 'text/plain' }), 415],
    ['no content type', () => ({ body: json() }), 415],
    ['multipart', () => ({ body: json(), contentType: 'multipart/form-data; boundary=x' }), 415],
    [
      'a gzip-compressed body, even a valid one',
      () => ({
        body: gzipSync(json()),
        contentType: 'application/json',
        encoding: 'gzip',
        signature: signWebhookBody(SECRETS.githubWebhookSecret, gzipSync(json())),
      }),
      415,
    ],
    [
      'a deflate-compressed body',
      () => ({ body: deflateSync(json()), contentType: 'application/json', encoding: 'deflate' }),
      415,
    ],
    [
      'a body over 25 MB',
      () => ({ body: Buffer.alloc(25_000_001, 0x20), contentType: 'application/json' }),
      413,
    ],
  ];

  it.each(rejections)('refuses %s with %d, stores nothing, does nothing', async (_name, build, status) => {
    const callsBefore = h.github.requests.length + h.slack.calls.length;
    const storedBefore = countRows(h.dataDir, 'webhook_deliveries');
    const response = await post(build());
    expect(response.status).toBe(status);
    expect(JSON.parse(response.text)).toHaveProperty('error');
    expect(response.text).not.toMatch(/at .*\.(ts|js):\d+/);
    expect(countRows(h.dataDir, 'webhook_deliveries')).toBe(storedBefore);
    await h.app.idle();
    expect(h.github.requests.length + h.slack.calls.length).toBe(callsBefore);
  });

  it('accepts JSON and form-encoded deliveries, and answers a redelivery with 200 without storing it twice', async () => {
    const first = await h.sendWebhook('pull_request', payload(), { contentType: 'json' });
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ status: 'accepted' });
    const form = await h.sendWebhook('pull_request', payload(), { contentType: 'form' });
    expect(form.status).toBe(200);
    const again = await h.sendWebhook('pull_request', payload(), {
      contentType: 'json',
      deliveryId: first.deliveryId,
    });
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toEqual({ status: 'duplicate' });
    await h.app.idle();
    expect(countRows(h.dataDir, 'webhook_deliveries')).toBe(2);
  });

  it('accepts a content type with parameters', async () => {
    const body = json();
    const response = await post({ body, contentType: 'application/json; charset=utf-8' });
    expect(response.status).toBe(200);
  });

  it('takes a body marked identity-encoded', async () => {
    const response = await post({ body: json(), contentType: 'application/json', encoding: 'identity' });
    expect(response.status).toBe(200);
  });

  it('answers an event no handler uses with 200, keeping its id and not its payload', async () => {
    const body = JSON.stringify({
      action: 'opened',
      issue: { number: 1, title: 'secret plans' },
      repository: { full_name: 'octo-org/web' },
    });
    const delivery = randomUUID();
    const first = await post({ body, contentType: 'application/json', event: 'issues', delivery });
    expect(first.status).toBe(200);
    expect(JSON.parse(first.text)).toEqual({ status: 'ignored' });
    const again = await post({ body, contentType: 'application/json', event: 'issues', delivery });
    expect(JSON.parse(again.text)).toEqual({ status: 'ignored' });
    const stored = readDelivery(h.dataDir, delivery);
    expect(stored).toMatchObject({ event: 'issues', state: 'done' });
    expect(JSON.parse(stored?.payload ?? '')).toEqual({ v: 1, data: null });
  });

  it('keeps of a handled payload what its handler reads, and the whole of one its handler would refuse', async () => {
    const full = payload() as Record<string, unknown>;
    const delivery = randomUUID();
    const sent = await post({ body: JSON.stringify(full), contentType: 'application/json', delivery });
    expect(JSON.parse(sent.text)).toEqual({ status: 'accepted' });
    const kept = JSON.parse(readDelivery(h.dataDir, delivery)?.payload ?? '').data;
    expect(kept).toEqual(pullRequestEventSchema.parse(full));
    expect(Object.keys(kept).sort()).toEqual(['action', 'number', 'pull_request', 'repository']);
    expect(JSON.stringify(kept).length).toBeLessThan(JSON.stringify(full).length / 3);
    expect(full.sender).toBeDefined();

    const odd = { ...full, number: 'seven' };
    const oddDelivery = randomUUID();
    await post({ body: JSON.stringify(odd), contentType: 'application/json', delivery: oddDelivery });
    await h.app.idle();
    const stored = readDelivery(h.dataDir, oddDelivery);
    expect(JSON.parse(stored?.payload ?? '').data).toEqual(odd);
    expect(stored?.state).toBe('failed');
  });

  it("takes deploybot's own inbox events from nobody, signed or not", async () => {
    const body = JSON.stringify({ repository: 'octo-org/web', deployment: { id: 1 } });
    const delivery = randomUUID();
    const sent = await post({
      body,
      contentType: 'application/json',
      event: 'deploybot.reconciled_deployment',
      delivery,
    });
    expect(JSON.parse(sent.text)).toEqual({ status: 'ignored' });
    expect(readDelivery(h.dataDir, delivery)).toMatchObject({ state: 'done' });
  });

  it('answers ping', async () => {
    const response = await h.sendWebhook('ping', { zen: 'Keep it logically awesome.', hook_id: 1 });
    expect(response.status).toBe(200);
  });
});

describe('GET /healthz', () => {
  it('answers 503 until deploybot has started, then 200', async () => {
    const github = await startGitHubStandIn({
      token: SECRETS.githubToken,
      webhookSecret: SECRETS.githubWebhookSecret,
    });
    // Starting asks GitHub who deploybot is; a slow answer keeps it starting.
    github.delay({ method: 'GET', path: '/user' }, 1_500, 1);
    const port = await freePort();
    const starting = startHarness({ github, env: { PORT: String(port) } });
    const seen: number[] = [];
    let h: Harness | undefined;
    void starting.then((started) => {
      h = started;
    });
    while (h === undefined) {
      const status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status,
        () => 0,
      );
      if (status !== 0) seen.push(status);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    try {
      expect(seen).toContain(503);
      expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    } finally {
      await h.stop();
      await github.close();
    }
  });

  it('answers 200 while the store answers', async () => {
    const h = await startHarness();
    try {
      const response = await fetch(`${h.url}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    } finally {
      await h.stop();
    }
  });
});

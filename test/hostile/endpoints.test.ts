import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type Harness, startHarness } from '../support/harness.js';

const RUNS = { seed: 20261201, numRuns: 40 } as const;

/** Rows in every table deploybot keeps, migrations' bookkeeping aside. */
function storedRows(dataDir: string): number {
  const db = new SQLite(join(dataDir, 'deploybot.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'kysely_%' and name not like 'sqlite_%' and name != 'leases'",
      )
      .all() as Array<{ name: string }>;
    return tables.reduce(
      (sum, { name }) => sum + (db.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n,
      0,
    );
  } finally {
    db.close();
  }
}

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const headerValue = fc.oneof(
  fc.string({ maxLength: 80 }).filter((s) => /^[\t\x20-\x7e]*$/.test(s)),
  fc.constantFrom('sha256=', `sha256=${'0'.repeat(64)}`, 'v0=deadbeef', '0', '-1', '99999999999', ' '),
);
const body = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => new TextEncoder().encode(JSON.stringify(v))),
  fc.constantFrom(
    new TextEncoder().encode('payload=%7B%22type%22%3A%22url_verification%22%2C%22challenge%22%3A%22x%22%7D'),
    new TextEncoder().encode('{"type":"url_verification","challenge":"x"}'),
    new TextEncoder().encode('{"zen":"hi","hook_id":1}'),
    new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xff]),
  ),
);
const request = fc.record({
  path: fc.constantFrom('/github/webhooks', '/slack/events'),
  contentType: maybe(
    fc.constantFrom(
      'application/json',
      'application/x-www-form-urlencoded',
      'text/plain',
      'application/json; charset=utf-16',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
    ),
  ),
  encoding: maybe(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, gzip')),
  event: maybe(fc.constantFrom('push', 'pull_request', 'deployment', 'ping', 'status', '../x', '')),
  signature: maybe(headerValue),
  slackSignature: maybe(headerValue),
  slackTimestamp: maybe(fc.oneof(headerValue, fc.constant(String(Math.floor(Date.now() / 1000))))),
  deliveryId: maybe(headerValue),
  body,
});

describe('hostile requests at the endpoints', () => {
  let h: Harness;
  let before: number;
  beforeAll(async () => {
    h = await startHarness();
    before = storedRows(h.dataDir);
  });
  afterAll(async () => {
    await h.stop();
  });

  test.prop([request], RUNS)('are answered 4xx and store nothing', async (r) => {
    const headers: Record<string, string> = {};
    if (r.contentType !== undefined) headers['content-type'] = r.contentType;
    if (r.encoding !== undefined) headers['content-encoding'] = r.encoding;
    if (r.event !== undefined) headers['x-github-event'] = r.event;
    if (r.signature !== undefined) headers['x-hub-signature-256'] = r.signature;
    if (r.deliveryId !== undefined) headers['x-github-delivery'] = r.deliveryId;
    if (r.slackSignature !== undefined) headers['x-slack-signature'] = r.slackSignature;
    if (r.slackTimestamp !== undefined) headers['x-slack-request-timestamp'] = r.slackTimestamp;
    const response = await fetch(`${h.url}${r.path}`, { method: 'POST', headers, body: r.body });
    await response.arrayBuffer();
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    await h.app.idle();
    expect(storedRows(h.dataDir)).toBe(before);
  });
});

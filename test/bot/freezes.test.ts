import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildMergedPullRequestPayload, deriveSha } from '../../src/stand-ins/github-payloads.js';
import { buttonValue, CHAT_CONFIG, nextResponse, press, slash, textOf } from '../support/chat.js';
import { type Harness, startHarness } from '../support/harness.js';
import { createManualClock } from '../support/manual-clock.js';

const isCreate = (r: { method: string; path: string }) =>
  r.method === 'POST' && r.path === '/repos/octo-org/web/deployments';

/** CHAT_CONFIG with staging frozen over the holidays and production every weekend, Berlin time. */
const FROZEN_CONFIG = CHAT_CONFIG.replace(
  '        deploy_on_merge: main\n',
  '        deploy_on_merge: main\n        freeze:\n          - { from: "2026-12-23T00:00:00Z", to: "2027-01-04T08:00:00Z", reason: "holidays" }\n',
).replace(
  '        admins: [U0ADMIN]\n',
  '        admins: [U0ADMIN]\n        freeze:\n          - { cron: "0 17 * * FRI", duration: 63h, timezone: Europe/Berlin, reason: "weekend" }\n',
);

describe('freeze windows', () => {
  let h: Harness;
  // Saturday 26 December 2026: both windows are open.
  let clock: ReturnType<typeof createManualClock>;
  const main = deriveSha('main');

  beforeEach(async () => {
    clock = createManualClock(Date.parse('2026-12-26T12:00:00Z'));
    h = await startHarness({ config: FROZEN_CONFIG, clock, timings: { lockSweepIntervalMs: 20 } });
    h.github.addRepository('octo-org/web', { defaultBranch: 'main' });
    h.github.setRef('octo-org/web', 'main', main);
    h.github.addCommit('octo-org/web', main, { message: 'Merge #42', author: 'octocat' });
    h.github.setCommitStatus('octo-org/web', main, 'ci/build', 'success');
  });
  afterEach(async () => {
    expect(h.github.schemaErrors).toEqual([]);
    await h.stop();
  });

  it('refuses /deploy into a fixed window and a cron window, naming the freeze and its end', async () => {
    const staging = await slash(h, 'web to staging');
    expect(textOf(await nextResponse(h, staging.responseUrl))).toContain(
      '*staging* is frozen (“holidays”) until Mon 4 Jan, 08:00 UTC',
    );
    const production = await slash(h, 'web to production');
    const refused = textOf(await nextResponse(h, production.responseUrl));
    expect(refused).toContain('*production* is frozen (“weekend”) until Mon 28 Dec, 07:00 UTC');
    expect(refused).toContain('An admin may still deploy with `!`: ask <@U0ADMIN>.');
    expect(h.github.requests.filter(isCreate)).toEqual([]);
  });

  it('lets an admin deploy with `!` after a confirmation that names the freeze', async () => {
    const asked = await slash(h, 'web to production!', { user: 'U0ADMIN' });
    const prompt = await nextResponse(h, asked.responseUrl);
    expect(textOf(prompt)).toContain('You are an admin: this deploys despite the freeze.');
    expect(h.github.requests.filter(isCreate)).toEqual([]);
    const confirmed = await press(h, 'deploy_confirm', buttonValue(prompt, 'deploy_confirm')!, {
      user: 'U0ADMIN',
    });
    expect(textOf(await nextResponse(h, confirmed.responseUrl))).toContain('created');
    expect(h.github.requests.filter(isCreate)).toHaveLength(1);
  });

  it('holds merged-PR deploys while frozen and sends them in order once it ends', async () => {
    const second = deriveSha('second-merge');
    h.github.addCommit('octo-org/web', second, { message: 'Merge #43', author: 'octocat' });
    for (const [number, sha] of [
      [42, main],
      [43, second],
    ] as const) {
      await h.sendWebhook(
        'pull_request',
        buildMergedPullRequestPayload({
          repo: 'octo-org/web',
          number,
          baseRef: 'main',
          mergeCommitSha: sha,
          author: 'octocat',
        }),
      );
    }
    await h.app.idle();
    const held = h.slack.calls.filter(
      (c) => c.method === 'chat.postMessage' && /waiting for the freeze to end/.test(String(c.args.text)),
    );
    expect(held).toHaveLength(2);
    expect(h.github.requests.filter(isCreate)).toEqual([]);

    clock.advance(Date.parse('2027-01-04T08:00:00Z') - clock.now());
    await h.slack.waitFor(() => (h.github.requests.filter(isCreate).length === 2 ? true : undefined));
    expect(h.github.requests.filter(isCreate).map((r) => (r.body as { ref: string }).ref)).toEqual([
      main,
      second,
    ]);
  });

  it('lists the open freezes in help and where', async () => {
    const help = await slash(h, 'help');
    const helpText = textOf(help.ack);
    expect(helpText).toContain('*staging* of *octo-org/web*: :snowflake: frozen (“holidays”)');
    const where = await slash(h, 'where web');
    const whereText = textOf(await nextResponse(h, where.responseUrl));
    expect(whereText).toContain(':snowflake: frozen (“weekend”) until Mon 28 Dec, 07:00 UTC');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildMergedPullRequestPayload, deriveSha } from '../../src/stand-ins/github-payloads.js';
import { buttonValue, CHAT_CONFIG, nextResponse, press, slash, textOf } from '../support/chat.js';
import { type Harness, startHarness } from '../support/harness.js';
import { createManualClock } from '../support/manual-clock.js';

const isCreate = (r: { method: string; path: string }) =>
  r.method === 'POST' && r.path === '/repos/octo-org/web/deployments';

describe('locks', () => {
  let h: Harness;
  const clock = createManualClock();
  const main = deriveSha('main');

  beforeEach(async () => {
    h = await startHarness({ config: CHAT_CONFIG, clock, timings: { lockSweepIntervalMs: 20 } });
    h.github.addRepository('octo-org/web', { defaultBranch: 'main' });
    h.github.setRef('octo-org/web', 'main', main);
    h.github.addCommit('octo-org/web', main, { message: 'Merge #42', author: 'octocat' });
  });
  afterEach(async () => {
    await h.stop();
  });

  async function lockStaging(text = 'lock staging on web: release freeze') {
    const sent = await slash(h, text);
    const answer = await nextResponse(h, sent.responseUrl);
    expect(answer.response_type).toBe('in_channel');
    return answer;
  }

  it('refuses deploys by others, naming holder, reason and since when; the holder may deploy', async () => {
    await lockStaging();
    const bob = await slash(h, 'web to staging', { user: 'U0BOB' });
    const refused = textOf(await nextResponse(h, bob.responseUrl));
    expect(refused).toContain('U0ALICE');
    expect(refused).toContain('release freeze');
    expect(refused).toMatch(/just now|ago/);
    expect(h.github.requests.filter(isCreate)).toEqual([]);

    const alice = await slash(h, 'web to staging');
    expect(textOf(await nextResponse(h, alice.responseUrl))).toContain('created');
  });

  it('lets only those who may deploy there lock it', async () => {
    const sent = await slash(h, 'lock production on web', { user: 'U0DAVE' });
    const refused = await nextResponse(h, sent.responseUrl);
    expect(refused.response_type).toBe('ephemeral');
    expect(textOf(refused)).toContain('U0ALICE');
  });

  it('shows the lock in where', async () => {
    await lockStaging();
    const sent = await slash(h, 'where web');
    const answer = textOf(await nextResponse(h, sent.responseUrl));
    expect(answer).toContain('release freeze');
  });

  it('lets only the holder (or an admin) unlock', async () => {
    await lockStaging();
    const bob = await slash(h, 'unlock staging on web', { user: 'U0BOB' });
    expect(textOf(await nextResponse(h, bob.responseUrl))).toContain('U0ALICE');
    const alice = await slash(h, 'unlock staging on web');
    const answer = await nextResponse(h, alice.responseUrl);
    expect(answer.response_type).toBe('in_channel');
    const again = await slash(h, 'unlock staging on web');
    expect(textOf(await nextResponse(h, again.responseUrl))).toMatch(/not locked/);
  });

  it('lets an admin steal a lock after confirming, and tells the previous holder', async () => {
    await lockStaging('lock production on web: release freeze');
    const notAdmin = await slash(h, 'lock production on web!', { user: 'U0BOB' });
    expect(textOf(await nextResponse(h, notAdmin.responseUrl))).toMatch(/admin/i);

    const admin = await slash(h, 'lock prod on web!', { user: 'U0ADMIN' });
    const prompt = await nextResponse(h, admin.responseUrl);
    const id = buttonValue(prompt, 'lock_steal_confirm');
    expect(id).toBeDefined();
    const confirmed = await press(h, 'lock_steal_confirm', id!, { user: 'U0ADMIN' });
    const told = await h.slack.waitFor(() =>
      h.slack.responses.find((r) => r.url === confirmed.responseUrl && r.body.response_type === 'in_channel'),
    );
    expect(textOf(told.body)).toContain('U0ALICE');
    const alice = await slash(h, 'web to production');
    expect(textOf(await nextResponse(h, alice.responseUrl))).toContain('U0ADMIN');
  });

  it('lapses by itself after its duration, announced', async () => {
    await lockStaging('lock staging on web: quick fix for 30m');
    clock.advance(31 * 60 * 1000);
    const expired = await h.slack.waitForCall('chat.postMessage', (c) =>
      /expired|lapsed/i.test(String(c.args.text)),
    );
    expect(expired.args.channel).toBe('C0WEB');
    const bob = await slash(h, 'web to staging', { user: 'U0BOB' });
    expect(textOf(await nextResponse(h, bob.responseUrl))).toContain('created');
  });

  it('holds merged-PR deploys while locked and sends them, in order, on unlock', async () => {
    await lockStaging();
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
    const waiting = h.slack.calls.filter(
      (c) => c.method === 'chat.postMessage' && /unlocked/.test(String(c.args.text)),
    );
    expect(waiting).toHaveLength(2);
    expect(h.github.requests.filter(isCreate)).toEqual([]);

    const alice = await slash(h, 'unlock staging on web');
    await nextResponse(h, alice.responseUrl);
    await h.slack.waitFor(() => (h.github.requests.filter(isCreate).length === 2 ? true : undefined));
    expect(h.github.requests.filter(isCreate).map((r) => (r.body as { ref: string }).ref)).toEqual([
      main,
      second,
    ]);
  });
});

describe('a lapsed lock with deploys still waiting', () => {
  it('sends a newer merge after the older ones, not before', async () => {
    const clock = createManualClock();
    // A long sweep interval: the lock lapses before the sweep notices.
    const h = await startHarness({ config: CHAT_CONFIG, clock, timings: { lockSweepIntervalMs: 60_000 } });
    try {
      const [older, newer] = [deriveSha('older'), deriveSha('newer')];
      h.github.addRepository('octo-org/web', { defaultBranch: 'main' });
      for (const sha of [older, newer])
        h.github.addCommit('octo-org/web', sha, { message: 'Merge', author: 'octocat' });
      const sent = await slash(h, 'lock staging on web for 30m');
      await nextResponse(h, sent.responseUrl);
      const merge = (number: number, sha: string) =>
        h.sendWebhook(
          'pull_request',
          buildMergedPullRequestPayload({
            repo: 'octo-org/web',
            number,
            baseRef: 'main',
            mergeCommitSha: sha,
            author: 'octocat',
          }),
        );
      await merge(1, older);
      await h.app.idle();
      clock.advance(31 * 60 * 1000);
      await merge(2, newer);
      await h.app.idle();
      expect(h.github.requests.filter(isCreate)).toEqual([]);
      await h.app.sweep();
      expect(h.github.requests.filter(isCreate).map((r) => (r.body as { ref: string }).ref)).toEqual([
        older,
        newer,
      ]);
    } finally {
      await h.stop();
    }
  });
});

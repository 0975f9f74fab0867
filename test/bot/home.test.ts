import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { boardButtonValue } from '../../src/core/home-board.js';
import { deriveSha } from '../../src/stand-ins/github-payloads.js';
import { CHAT_CONFIG, nextResponse, slash } from '../support/chat.js';
import { type Harness, startHarness, TEST_TIMINGS } from '../support/harness.js';
import { directMessagesTo, openHome, pressOnHome, publishesFor, waitForBoard } from '../support/home.js';
import { createManualScheduler, type ManualScheduler } from '../support/manual-scheduler.js';

const web = (environment: string) => boardButtonValue({ repository: 'octo-org/web', environment });

describe('the App Home board', () => {
  let h: Harness;
  let scheduler: ManualScheduler;
  const main = deriveSha('main');
  const old = deriveSha('old');

  beforeEach(async () => {
    scheduler = createManualScheduler();
    // Hours pass on the manual clock: periodic work at production's pace, not every few milliseconds.
    h = await startHarness({
      config: CHAT_CONFIG,
      scheduler,
      timings: {
        inbox: { ...TEST_TIMINGS.inbox, pollIntervalMs: 60_000, minClaimGapMs: 0 },
        deployer: { leaseTtlMs: 600_000, heartbeatIntervalMs: 60_000 },
      },
    });
    h.github.addRepository('octo-org/web', { defaultBranch: 'main' });
    h.github.addRepository('octo-org/api', { defaultBranch: 'main' });
    h.github.setRef('octo-org/web', 'main', main);
    h.github.setRef('octo-org/api', 'main', main);
    h.github.addCommit('octo-org/web', old, { message: 'Old release', author: 'octocat' });
    h.github.addCommit('octo-org/web', main, { message: 'Merge #42', author: 'octocat' });
    const live = h.github.createDeploymentDirectly('octo-org/web', {
      ref: 'main',
      sha: old,
      environment: 'staging',
      creator: 'carol',
    });
    h.github.createStatusDirectly(live.id, { state: 'success', environment_url: 'https://stg.example.com' });
    await h.github.flushWebhooks();
    await h.app.idle();
  });
  afterEach(async () => {
    expect(h.github.schemaErrors).toEqual([]);
    await h.stop();
  });

  it('shows what runs where, what deploys, locks and buttons, for what the viewer may see', async () => {
    const running = h.github.createDeploymentDirectly('octo-org/web', {
      ref: 'main',
      environment: 'production',
    });
    h.github.createStatusDirectly(running.id, {
      state: 'in_progress',
      log_url: 'https://ci.example.com/run/7',
    });
    await h.github.flushWebhooks();
    await h.app.idle();
    const locked = await slash(h, 'lock qa on web: release train');
    await nextResponse(h, locked.responseUrl);

    const opened = await openHome(h);
    expect(opened.status).toBe(200);
    const board = await waitForBoard(h, 1);
    expect(board.text).toContain(`*staging* :white_check_mark: \`main\``);
    expect(board.text).toContain(`|${old.slice(0, 7)}>) by carol`);
    expect(board.text).toContain('<https://stg.example.com|open>');
    expect(board.text).toContain('`in_progress` main');
    expect(board.text).toContain('<https://ci.example.com/run/7|Log>');
    expect(board.text).toContain('locked by <@U0ALICE>');
    expect(board.text).toContain('release train');
    expect(board.text).toContain('|octo-org/api>*');
    const labels = board.buttons.map((b) => b.label);
    expect(labels).toContain('Deploy production…');
    expect(labels).toContain('Unlock qa');
    expect(labels).toContain('Lock staging…');
    expect(new Set(board.buttons.map((b) => b.actionId)).size).toBe(board.buttons.length);

    // Dave is no deployer of web's production or qa: no buttons there, the rest as for anyone.
    await openHome(h, 'U0DAVE');
    const daves = await waitForBoard(h, 1, 'U0DAVE');
    const daveLabels = daves.buttons.map((b) => b.label);
    expect(daveLabels).toContain('Deploy staging…');
    expect(daveLabels).not.toContain('Deploy production…');
    expect(daveLabels).not.toContain('Unlock qa');
  });

  it('republishes the board after a lock, at most once per user per 10 s, and waits out a 429', async () => {
    await openHome(h);
    await waitForBoard(h, 1);

    const locked = await slash(h, 'lock staging on web: hotfix');
    await nextResponse(h, locked.responseUrl);
    h.slack.rateLimit('views.publish', { times: 1, retryAfterSeconds: 0 });
    // Alice's board was published when she opened it: the next may go 10 s after.
    await scheduler.advance(5_000);
    expect(publishesFor(h)).toHaveLength(1);
    await scheduler.advance(5_000);
    const second = await waitForBoard(h, 2);
    expect(second.text).toContain('hotfix');
    expect(h.slack.calls.filter((c) => c.method === 'views.publish' && c.status === 429)).toHaveLength(1);

    // Unlocked now: coalesced into one publish 10 s after the last.
    const unlocked = await slash(h, 'unlock staging on web');
    await nextResponse(h, unlocked.responseUrl);
    await scheduler.advance(5_000);
    expect(publishesFor(h)).toHaveLength(2);
    await scheduler.advance(5_000);
    const third = await waitForBoard(h, 3);
    expect(third.text).not.toContain('hotfix');
    await scheduler.advance(30_000);
    expect(publishesFor(h)).toHaveLength(3);
  });

  it('republishes the board when a deployment’s status is announced, for viewers of the last hour only', async () => {
    await openHome(h);
    await waitForBoard(h, 1);
    await openHome(h, 'U0BOB');
    await waitForBoard(h, 1, 'U0BOB');
    await scheduler.advance(50 * 60_000);
    await openHome(h, 'U0BOB');
    await waitForBoard(h, 2, 'U0BOB');
    await scheduler.advance(15 * 60_000);

    const deployment = h.github.createDeploymentDirectly('octo-org/web', {
      ref: 'main',
      environment: 'production',
    });
    h.github.createStatusDirectly(deployment.id, {
      state: 'in_progress',
      log_url: 'https://ci.example.com/run/8',
    });
    await h.github.flushWebhooks();
    await h.app.idle();
    await scheduler.advance(10_000);
    const bobs = await waitForBoard(h, 3, 'U0BOB');
    expect(bobs.text).toContain('`in_progress` main');
    // Alice opened it 65 minutes ago: her board is left alone.
    expect(publishesFor(h)).toHaveLength(1);
  });

  it('republishes the board after a deploy asked in chat', async () => {
    await openHome(h);
    await waitForBoard(h, 1);
    const asked = await slash(h, 'web@main to staging');
    await nextResponse(h, asked.responseUrl);
    await h.github.waitForRequest((r) => r.method === 'POST' && r.path === '/repos/octo-org/web/deployments');
    await scheduler.advance(10_000);
    const board = await waitForBoard(h, 2);
    expect(board.text).toMatch(new RegExp(`\`(pending|queued|in_progress)\` main \\(${main.slice(0, 7)}\\)`));
  });

  it('answers a button the presser may not use privately, and changes nothing', async () => {
    await openHome(h, 'U0DAVE');
    await waitForBoard(h, 1, 'U0DAVE');
    const before = h.slack.messagesIn('C0WEB').length;
    const pressed = await pressOnHome(
      h,
      'home_rollback:octo-org/web:production',
      web('production'),
      'U0DAVE',
    );
    expect(pressed.status).toBe(200);
    const told = await h.slack.waitFor(() => directMessagesTo(h, 'U0DAVE')[0], { timeoutMs: 10_000 });
    expect(told.text).toMatch(/U0ALICE|deploy/i);
    expect(h.github.deployments('octo-org/web').filter((d) => d.environment === 'production')).toEqual([]);
    expect(h.slack.messagesIn('C0WEB')).toHaveLength(before);
  });

  it('unlocks from the board, announcing it in the repository’s channel', async () => {
    const locked = await slash(h, 'lock qa on web');
    await nextResponse(h, locked.responseUrl);
    h.slack.reset();
    await pressOnHome(h, 'home_unlock:octo-org/web:qa', web('qa'));
    const announced = await h.slack.waitFor(() => h.slack.messagesIn('C0WEB')[0], { timeoutMs: 10_000 });
    expect(announced.text).toMatch(/unlocked/i);
  });
});

import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { boardButtonValue } from '../../src/core/home-board.js';
import { REQUIRED_SLACK_SCOPES } from '../../src/core/slack-scopes.js';
import { deriveSha } from '../../src/stand-ins/github-payloads.js';
import { buttonValue, CHAT_CONFIG, press } from '../support/chat.js';
import { type Harness, startHarness } from '../support/harness.js';
import {
  chooseInModal,
  directMessagesTo,
  pressOnHome,
  pressShortcut,
  submitModal,
  waitForModal,
} from '../support/home.js';
import { createManualScheduler } from '../support/manual-scheduler.js';

interface ModalBlock {
  readonly block_id?: string;
  readonly element?: {
    readonly options?: ReadonlyArray<{ readonly value: string }>;
    readonly initial_option?: { readonly value: string };
    readonly placeholder?: { readonly text: string };
  };
}

const blocksOf = (view: Record<string, unknown>) => (view.blocks ?? []) as ModalBlock[];
const blockOf = (view: Record<string, unknown>, id: string) => blocksOf(view).find((b) => b.block_id === id);

describe('the Deploy modal', () => {
  let h: Harness;
  const main = deriveSha('main');
  const old = deriveSha('old');

  beforeEach(async () => {
    h = await startHarness({ config: CHAT_CONFIG, scheduler: createManualScheduler() });
    for (const repo of ['octo-org/web', 'octo-org/api']) {
      h.github.addRepository(repo, { defaultBranch: 'main' });
      h.github.setRef(repo, 'main', main);
      h.github.addCommit(repo, main, { message: 'Merge #42', author: 'octocat' });
    }
    h.github.addCommit('octo-org/web', old, { message: 'Old release', author: 'octocat' });
    h.github.setCommitStatus('octo-org/web', main, 'ci/build', 'success');
    const live = h.github.createDeploymentDirectly('octo-org/web', {
      ref: old,
      sha: old,
      environment: 'production',
    });
    h.github.createStatusDirectly(live.id, { state: 'success' });
    await h.github.flushWebhooks();
    await h.app.idle();
  });
  afterEach(async () => {
    expect(h.github.schemaErrors).toEqual([]);
    await h.stop();
  });

  it('opens from the shortcut, follows the repository, and deploys as /deploy would', async () => {
    const pressed = await pressShortcut(h);
    expect(pressed.status).toBe(200);
    // Opened at once, then updated with the default branch as the ref's placeholder.
    const modal = await waitForModal(h, 2);
    const first = modal.history[0] as Record<string, unknown>;
    expect(blockOf(first, 'repository')?.element?.options?.map((o) => o.value)).toEqual([
      'octo-org/web',
      'octo-org/api',
    ]);
    expect(blockOf(first, 'environment:octo-org/web')?.element?.options?.map((o) => o.value)).toEqual([
      'staging',
      'production',
      'qa',
    ]);
    expect(blockOf(modal.view, 'ref')?.element?.placeholder?.text).toBe('main');

    await chooseInModal(h, modal, 'repository', 'octo-org/api');
    const updated = await waitForModal(h, 4);
    expect(blockOf(updated.view, 'environment:octo-org/api')?.element?.options?.map((o) => o.value)).toEqual([
      'production',
    ]);
    expect(blockOf(updated.view, 'environment:octo-org/web')).toBeUndefined();

    const submitted = await submitModal(h, updated, { 'environment:octo-org/api': 'production' });
    expect(submitted).toMatchObject({ status: 200, answer: {} });
    const created = await h.github.waitForRequest(
      (r) => r.method === 'POST' && r.path === '/repos/octo-org/api/deployments',
    );
    expect(created.body).toMatchObject({ ref: 'main', environment: 'production' });
    const told = await h.slack.waitFor(() => directMessagesTo(h, 'U0ALICE')[0], { timeoutMs: 10_000 });
    expect(told.text).toMatch(/octo-org\/api/);
  });

  it('names a ref that does not exist as a field error, and creates nothing', async () => {
    await pressShortcut(h);
    const modal = await waitForModal(h, 2);
    const submitted = await submitModal(h, modal, {
      'environment:octo-org/web': 'staging',
      ref: 'no-such-branch',
    });
    expect(submitted.answer.response_action).toBe('errors');
    expect(Object.keys(submitted.answer.errors ?? {})).toEqual(['ref']);
    expect(submitted.answer.errors?.ref).toMatch(/no-such-branch|not found|find/i);
    // Within Slack's 3 seconds, or Slack would show its own error instead.
    expect(submitted.elapsedMs).toBeLessThan(3_000);
    expect(h.github.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/deployments'))).toEqual(
      [],
    );
  });

  it('refuses someone who may not deploy there in the environment field', async () => {
    await pressShortcut(h, 'U0DAVE');
    const modal = await waitForModal(h, 2);
    const submitted = await submitModal(h, modal, { 'environment:octo-org/web': 'production' }, 'U0DAVE');
    expect(submitted.answer.response_action).toBe('errors');
    const error = submitted.answer.errors?.['environment:octo-org/web'] ?? '';
    expect(error).toContain('@U0ALICE');
    expect(error).not.toContain('<@');
    expect(h.github.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/deployments'))).toEqual(
      [],
    );
  });

  it('opens from the board’s Deploy… button filled in, and asks for confirmation as chat does', async () => {
    const value = boardButtonValue({ repository: 'octo-org/web', environment: 'production' });
    await pressOnHome(h, 'home_deploy:octo-org/web:production', value);
    const modal = await waitForModal(h, 2);
    expect(blockOf(modal.view, 'repository')?.element?.initial_option?.value).toBe('octo-org/web');
    expect(blockOf(modal.view, 'environment:octo-org/web')?.element?.initial_option?.value).toBe(
      'production',
    );

    const submitted = await submitModal(h, modal, {});
    expect(submitted.answer).toEqual({});
    const prompt = await h.slack.waitFor(
      () =>
        directMessagesTo(h, 'U0ALICE').find((m) => buttonValue({ blocks: m.blocks ?? [] }, 'deploy_confirm')),
      { timeoutMs: 10_000 },
    );
    expect(JSON.stringify(prompt.blocks)).toContain('Deploy *octo-org/web* `main`');
    expect(JSON.stringify(prompt.blocks)).toContain('to *production*?');
    expect(h.github.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/deployments'))).toEqual(
      [],
    );

    await press(h, 'deploy_confirm', buttonValue({ blocks: prompt.blocks ?? [] }, 'deploy_confirm')!, {
      channel: prompt.channel,
    });
    const created = await h.github.waitForRequest(
      (r) => r.method === 'POST' && r.path === '/repos/octo-org/web/deployments',
    );
    expect(created.body).toMatchObject({ ref: main, environment: 'production' });
  });

  it('locks from the board’s Lock… modal, and names a duration it cannot read', async () => {
    const value = boardButtonValue({ repository: 'octo-org/web', environment: 'staging' });
    await pressOnHome(h, 'home_lock:octo-org/web:staging', value);
    const modal = await waitForModal(h, 1);
    const wrong = await submitModal(h, modal, { reason: 'release', duration: 'forever' });
    expect(wrong.answer.response_action).toBe('errors');
    expect(Object.keys(wrong.answer.errors ?? {})).toEqual(['duration']);

    const locked = await submitModal(h, modal, { reason: 'release', duration: '2h' });
    expect(locked.answer).toEqual({});
    const announced = await h.slack.waitFor(
      () => h.slack.messagesIn('C0WEB').find((m) => /release/.test(m.text)),
      { timeoutMs: 10_000 },
    );
    expect(announced.text).toMatch(/lock/i);
  });
});

describe('manifest.yml', () => {
  it('enables the Home tab, the Deploy… shortcut and app_home_opened, with no new scope', async () => {
    const manifest = parse(await readFile(new URL('../../manifest.yml', import.meta.url), 'utf8'));
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({ name: 'Deploy…', type: 'global', callback_id: 'deploy' }),
    ]);
    expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
    expect(manifest.oauth_config.scopes.bot).toEqual(REQUIRED_SLACK_SCOPES);
  });
});

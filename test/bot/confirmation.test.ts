import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deriveSha } from '../../src/stand-ins/github-payloads.js';
import { buttonValue, CHAT_CONFIG, nextResponse, press, slash, textOf } from '../support/chat.js';
import { type Harness, startHarness } from '../support/harness.js';
import { createManualClock } from '../support/manual-clock.js';

const isCreate = (r: { method: string; path: string; status?: number }) =>
  r.method === 'POST' && r.path === '/repos/octo-org/web/deployments';

describe('confirmation of protected environments', () => {
  let h: Harness;
  const clock = createManualClock();
  const old = deriveSha('old');
  const commits = Array.from({ length: 23 }, (_, i) => deriveSha(`commit-${i}`));
  const head = commits.at(-1)!;

  beforeEach(async () => {
    h = await startHarness({ config: CHAT_CONFIG, clock });
    h.github.addRepository('octo-org/web', { defaultBranch: 'main' });
    h.github.addCommit('octo-org/web', old, { message: 'Old release', author: 'octocat' });
    for (const [i, sha] of commits.entries()) {
      h.github.addCommit('octo-org/web', sha, {
        message: `Change number ${i}\n\nDetails`,
        author: i % 2 ? 'alice-gh' : 'bob-gh',
      });
    }
    h.github.setRef('octo-org/web', 'main', head);
    h.github.setCommitStatus('octo-org/web', head, 'ci/build', 'success');
    const current = h.github.createDeploymentDirectly('octo-org/web', {
      ref: old,
      sha: old,
      environment: 'production',
    });
    h.github.createStatusDirectly(current.id, { state: 'success' });
    await h.github.flushWebhooks();
    await h.app.idle();
  });
  afterEach(async () => {
    expect(h.github.schemaErrors).toEqual([]);
    await h.stop();
  });

  async function ask() {
    const sent = await slash(h, 'web to production');
    const prompt = await nextResponse(h, sent.responseUrl);
    return { prompt, id: buttonValue(prompt, 'deploy_confirm')! };
  }

  it('shows what will ship before anything is created', async () => {
    const { prompt, id } = await ask();
    expect(id).toBeDefined();
    expect(buttonValue(prompt, 'deploy_cancel')).toBe(id);
    const text = textOf(prompt);
    expect(text).toContain('23');
    expect(text).toContain('Change number 0');
    expect(text).toContain('alice-gh');
    expect(text).toContain(`compare/${old}...${head}`);
    expect(text).not.toContain('Change number 22');
    expect(text).toMatch(/more/);
    expect(h.github.requests.filter(isCreate)).toEqual([]);
  });

  it('deploys the shown commit once, however often Deploy is pressed', async () => {
    const { id } = await ask();
    const first = await press(h, 'deploy_confirm', id);
    const second = await press(h, 'deploy_confirm', id);
    expect(textOf(await nextResponse(h, first.responseUrl))).toContain('created');
    expect(textOf(await nextResponse(h, second.responseUrl))).toContain('already answered');
    await h.app.idle();
    const created = h.github.requests.filter(isCreate);
    expect(created).toHaveLength(1);
    expect(created[0]!.body).toMatchObject({
      ref: head,
      environment: 'production',
      production_environment: true,
    });
  });

  it("refuses someone else's press", async () => {
    const { id } = await ask();
    const pressed = await press(h, 'deploy_confirm', id, { user: 'U0BOB' });
    expect(textOf(await nextResponse(h, pressed.responseUrl))).toContain('U0ALICE');
    expect(h.github.requests.filter(isCreate)).toEqual([]);
    // The asker's button still works.
    const mine = await press(h, 'deploy_confirm', id);
    expect(textOf(await nextResponse(h, mine.responseUrl))).toContain('created');
  });

  it('cancels', async () => {
    const { id } = await ask();
    const cancelled = await press(h, 'deploy_cancel', id);
    await nextResponse(h, cancelled.responseUrl);
    const late = await press(h, 'deploy_confirm', id);
    expect(textOf(await nextResponse(h, late.responseUrl))).toContain('already answered');
    expect(h.github.requests.filter(isCreate)).toEqual([]);
  });

  it('warns when the commit is older than what runs there', async () => {
    const newer = h.github.createDeploymentDirectly('octo-org/web', {
      ref: head,
      sha: head,
      environment: 'production',
    });
    h.github.createStatusDirectly(newer.id, { state: 'success' });
    await h.github.flushWebhooks();
    await h.app.idle();
    h.github.setCommitStatus('octo-org/web', old, 'ci/build', 'success');
    const sent = await slash(h, `web@${old} to production`);
    const prompt = textOf(await nextResponse(h, sent.responseUrl));
    expect(prompt).toContain('older than what runs there');
    expect(prompt).toContain('takes back 23 commits');
  });

  it('still asks, saying so, when GitHub cannot compare the commits', async () => {
    h.github.failNext(
      { method: 'GET', path: /\/compare\// },
      { status: 404, body: { message: 'Not Found' } },
    );
    const { prompt, id } = await ask();
    expect(id).toBeDefined();
    expect(textOf(prompt)).toContain('could not list the commits');
  });

  it('expires after 5 minutes', async () => {
    const { id } = await ask();
    clock.advance(5 * 60 * 1000 + 1);
    const pressed = await press(h, 'deploy_confirm', id);
    expect(textOf(await nextResponse(h, pressed.responseUrl))).toMatch(/expired/i);
    expect(h.github.requests.filter(isCreate)).toEqual([]);
  });
});

describe('approvals', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ config: CHAT_CONFIG });
    h.github.addRepository('octo-org/web', { defaultBranch: 'main' });
    h.github.setRef('octo-org/web', 'main', deriveSha('main'));
  });
  afterEach(async () => {
    await h.stop();
  });

  it('waits for someone else among the deployers to approve in the channel', async () => {
    await slash(h, 'web to qa');
    const request = await h.slack.waitForCall('chat.postMessage', (c) =>
      String(c.args.text).includes('wants to deploy'),
    );
    expect(request.args.channel).toBe('C0WEB');
    const id = buttonValue({ blocks: request.args.blocks as unknown[] }, 'deploy_approve')!;

    const own = await press(h, 'deploy_approve', id, { user: 'U0ALICE', ephemeral: false });
    expect(textOf(await nextResponse(h, own.responseUrl))).toMatch(/own/i);
    const outsider = await press(h, 'deploy_approve', id, { user: 'U0DAVE', ephemeral: false });
    await nextResponse(h, outsider.responseUrl);
    expect(h.github.requests.filter(isCreate)).toEqual([]);

    const approved = await press(h, 'deploy_approve', id, { user: 'U0BOB', ephemeral: false });
    const replaced = await nextResponse(h, approved.responseUrl);
    expect(replaced.replace_original).toBe(true);
    expect(textOf(replaced)).toContain('approved');
    // The outcome is the asker's, not the approver's.
    const told = await h.slack.waitForCall('chat.postEphemeral', (c) => c.args.user === 'U0ALICE');
    expect(String(told.args.text)).toContain('created');
    const created = h.github.requests.filter(isCreate);
    expect(created).toHaveLength(1);
    // The approved commit ships, even if the branch moved since.
    expect(created[0]!.body).toMatchObject({
      ref: deriveSha('main'),
      environment: 'qa',
      payload: { approved_by: ['U0BOB'] },
    });
  });
});

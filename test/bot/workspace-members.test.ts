import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deriveSha } from '../../src/stand-ins/github-payloads.js';
import { buttonValue, CHAT_CONFIG, nextResponse, press, slash, textOf } from '../support/chat.js';
import { type Harness, startHarness } from '../support/harness.js';

const isCreate = (r: { method: string; path: string }) =>
  r.method === 'POST' && r.path === '/repos/octo-org/web/deployments';

/** CHAT_CONFIG, and a guest and a Slack Connect user in Slack: U0BOB is listed by ID in production and qa. */
describe('who counts as a user in Slack', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness({ config: CHAT_CONFIG });
    h.github.addRepository('octo-org/web', { defaultBranch: 'main' });
    h.github.setRef('octo-org/web', 'main', deriveSha('web-main'));
    h.slack.setUser({ id: 'U0GUEST', name: 'guest', isRestricted: true });
    h.slack.setUser({ id: 'U0CONNECT', name: 'partner', teamId: 'T0PARTNER' });
    h.slack.setUserGroup('S0DEPLOYERS', ['U0GUEST', 'U0CONNECT']);
  });
  afterEach(async () => {
    expect(h.github.schemaErrors).toEqual([]);
    await h.stop();
  });

  it.each([
    ['a guest', 'U0GUEST', 'Guests of this workspace'],
    ['a Slack Connect user', 'U0CONNECT', 'Users of other workspaces'],
  ])(
    'refuses %s every command, even in a deployers group and where deployers is absent',
    async (_n, user, words) => {
      for (const command of [
        'web to staging',
        'web to production',
        'lock staging on web',
        'where web',
        'history web',
        'cancel web',
      ]) {
        const sent = await slash(h, command, { user });
        expect(textOf(await nextResponse(h, sent.responseUrl))).toContain(words);
      }
      expect(h.github.requests.filter(isCreate)).toEqual([]);
    },
  );

  it('admits a guest or a Slack Connect user that deployers lists by user ID, there only', async () => {
    h.slack.setUser({ id: 'U0BOB', name: 'bob', teamId: 'T0PARTNER' });
    const refused = await slash(h, 'web to staging', { user: 'U0BOB' });
    expect(textOf(await nextResponse(h, refused.responseUrl))).toContain(
      'Users of other workspaces may use deploybot on *staging*',
    );
    const asked = await slash(h, 'web to production', { user: 'U0BOB' });
    const prompt = await nextResponse(h, asked.responseUrl);
    expect(buttonValue(prompt, 'deploy_confirm')).toBeDefined();
  });

  it("refuses a guest's press of an Approve button", async () => {
    const asked = await slash(h, 'web to qa', { user: 'U0ALICE' });
    await nextResponse(h, asked.responseUrl);
    const request = await h.slack.waitForCall('chat.postMessage', (c) =>
      JSON.stringify(c.args.blocks ?? []).includes('deploy_approve'),
    );
    const approve = buttonValue({ blocks: request.args.blocks as unknown[] }, 'deploy_approve')!;
    const pressed = await press(h, 'deploy_approve', approve, { user: 'U0GUEST' });
    expect(textOf(await nextResponse(h, pressed.responseUrl))).toContain('Guests of this workspace');
    expect(h.github.requests.filter(isCreate)).toEqual([]);
  });
});

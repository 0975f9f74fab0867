import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deriveSha } from '../../src/stand-ins/github-payloads.js';
import { buttonValue, CHAT_CONFIG, nextResponse, press, slash, textOf } from '../support/chat.js';
import { type Harness, startHarness } from '../support/harness.js';

const isCreate = (r: { method: string; path: string }) =>
  r.method === 'POST' && r.path === '/repos/octo-org/web/deployments';

describe('/deploy REPO[@REF] [to ENV][!]', () => {
  let h: Harness;
  const main = deriveSha('web-main');
  const feature = deriveSha('web-feature');

  beforeEach(async () => {
    h = await startHarness({ config: CHAT_CONFIG });
    h.github.addRepository('octo-org/web', { defaultBranch: 'main' });
    h.github.addRepository('octo-org/api');
    h.github.setRef('octo-org/web', 'main', main);
    h.github.setRef('octo-org/web', 'feature/x', feature);
    h.github.setRef('octo-org/api', 'main', deriveSha('api-main'));
    h.slack.setUserGroup('S0DEPLOYERS', ['U0CAROL']);
  });
  afterEach(async () => {
    expect(h.github.schemaErrors).toEqual([]);
    await h.stop();
  });

  it('deploys the default branch to the default environment', async () => {
    const sent = await slash(h, 'web');
    expect(sent.status).toBe(200);
    const created = await h.github.waitForRequest(isCreate, { description: 'create deployment' });
    expect(created.body).toMatchObject({
      ref: 'main',
      environment: 'staging',
      auto_merge: false,
      production_environment: false,
      payload: { deploy_user: 'alice-gh', notify: { adapter: 'slack', channel: 'C0WEB', user: 'U0ALICE' } },
    });
    expect(created.body).not.toHaveProperty('required_contexts');
    const answer = await nextResponse(h, sent.responseUrl);
    expect(answer.text).toContain('created');
  });

  it.each([
    ['web@feature/x to stg', 'feature/x', 'staging'],
    ['  DEPLOY   website@feature/x   In   staging ', 'feature/x', 'staging'],
    ['octo-org/web@main on stg', 'main', 'staging'],
  ])('%s', async (text, ref, environment) => {
    await slash(h, text);
    const created = await h.github.waitForRequest(isCreate);
    expect(created.body).toMatchObject({ ref, environment });
  });

  it('uses the Slack handle when no GitHub login is mapped', async () => {
    await slash(h, 'web to staging', { user: 'U0BOB' });
    const created = await h.github.waitForRequest(isCreate);
    expect(created.body).toMatchObject({ payload: { deploy_user: 'u0bob', notify: { user: 'U0BOB' } } });
  });

  it.each([
    ['wbe', 'web'],
    ['web to prdo', 'prod'],
    ['web@--upload-pack=x', undefined],
    ['web@$(reboot)', undefined],
    ['web@a;b', undefined],
    ['x'.repeat(10_000), undefined],
  ])(
    'refuses %s at once, with a suggestion where one is close, and asks GitHub nothing',
    async (text, suggestion) => {
      const before = h.github.requests.length;
      const sent = await slash(h, text);
      expect(sent.ack.response_type).toBe('ephemeral');
      if (suggestion) expect(textOf(sent.ack)).toContain(suggestion);
      expect(textOf(sent.ack).length).toBeLessThan(4000);
      await h.app.idle();
      expect(h.github.requests.length).toBe(before);
    },
  );

  it('answers help', async () => {
    const sent = await slash(h, 'help');
    expect(textOf(sent.ack)).toContain('where');
  });

  it('refuses someone who may not deploy there, saying who may', async () => {
    const sent = await slash(h, 'web to production', { user: 'U0DAVE' });
    const answer = await nextResponse(h, sent.responseUrl);
    expect(textOf(answer)).toContain('U0ALICE');
    expect(h.github.requests.filter(isCreate)).toEqual([]);
  });

  it('lets a member of a deployer user group deploy', async () => {
    const sent = await slash(h, 'web to production', { user: 'U0CAROL' });
    const answer = await nextResponse(h, sent.responseUrl);
    expect(buttonValue(answer, 'deploy_confirm')).toBeDefined();
  });

  it('refuses to force for someone who is not an admin', async () => {
    const sent = await slash(h, 'web to production!');
    const answer = await nextResponse(h, sent.responseUrl);
    expect(textOf(answer)).toMatch(/admin/i);
    expect(h.github.requests.filter(isCreate)).toEqual([]);
  });

  it('acknowledges within 3 seconds even when GitHub takes 5 to answer', async () => {
    h.github.delay({ method: 'GET', path: '/repos/octo-org/web' }, 5_000);
    const sent = await slash(h, 'web');
    expect(sent.status).toBe(200);
    expect(sent.elapsedMs).toBeLessThan(3_000);
    // Acknowledged while GitHub had not answered yet: the stand-in records a request once it answers.
    expect(h.github.requests.some((r) => r.path === '/repos/octo-org/web')).toBe(false);
    expect(h.github.requests.filter(isCreate)).toEqual([]);
    const answer = await nextResponse(h, sent.responseUrl);
    expect(answer.text).toContain('created');
  }, 20_000);

  it.each([
    [
      422,
      { message: 'No commit found for SHA: nope' },
      'web@nope',
      'no branch, tag or commit `nope` in octo-org/web',
    ],
    [401, { message: 'Bad credentials' }, 'web@main', 'GITHUB_TOKEN'],
    [403, { message: 'Resource not accessible by integration' }, 'web@main', 'Deployments: read and write'],
    [404, { message: 'Not Found' }, 'web@main', 'cannot find'],
    [502, { message: 'Bad Gateway' }, 'web@main', 'GitHub is having trouble'],
    [0, undefined, 'web@main', 'GitHub is having trouble'],
  ])('answers GitHub %d (0: unreachable) in words', async (status, body, text, words) => {
    h.github.failNext({ method: 'GET', path: /^\/repos\/octo-org\/web\/commits\// }, { status, body }, 10);
    const sent = await slash(h, text);
    const answer = await nextResponse(h, sent.responseUrl);
    expect(textOf(answer)).toContain(words);
    expect(textOf(answer)).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it.each([
    [{ status: 409, body: { message: 'Conflict merging main into topic.' } }, 'merge conflict'],
    [{ status: 202, body: { message: 'Auto-merged main into topic on deployment.' } }, '202'],
  ])('explains a %j from create deployment', async (response, words) => {
    h.github.failNext({ method: 'POST', path: '/repos/octo-org/web/deployments' }, response);
    const sent = await slash(h, 'web');
    const answer = await nextResponse(h, sent.responseUrl);
    expect(textOf(answer)).toContain(words);
  });

  it('lists failing checks with "Deploy anyway" for an admin, who can press it', async () => {
    h.github.setCommitStatus('octo-org/web', main, 'ci/build', 'failure');
    const asked = await slash(h, 'web to production', { user: 'U0ADMIN' });
    const prompt = await nextResponse(h, asked.responseUrl);
    const confirm = await press(h, 'deploy_confirm', buttonValue(prompt, 'deploy_confirm')!, {
      user: 'U0ADMIN',
    });
    const refused = await nextResponse(h, confirm.responseUrl);
    expect(textOf(refused)).toContain('ci/build');
    const force = buttonValue(refused, 'deploy_force');
    expect(force).toBeDefined();
    const forced = await press(h, 'deploy_force', force!, { user: 'U0ADMIN' });
    await nextResponse(h, forced.responseUrl);
    const created = h.github.requests.filter((r) => isCreate(r) && r.status === 201);
    expect(created).toHaveLength(1);
    expect(created[0]!.body).toMatchObject({ ref: main, required_contexts: [], payload: { forced: true } });
  });

  it('lets an admin force with a trailing !, and the announcement says so', async () => {
    h.github.setCommitStatus('octo-org/web', main, 'ci/build', 'failure');
    const asked = await slash(h, 'web to production!', { user: 'U0ADMIN' });
    const prompt = await nextResponse(h, asked.responseUrl);
    const confirmed = await press(h, 'deploy_confirm', buttonValue(prompt, 'deploy_confirm')!, {
      user: 'U0ADMIN',
    });
    expect(textOf(await nextResponse(h, confirmed.responseUrl))).toContain('created');
    const created = h.github.requests.find((r) => isCreate(r) && r.status === 201);
    expect(created?.body).toMatchObject({ required_contexts: [], payload: { forced: true } });
    const [deployment] = h.github.deployments('octo-org/web');
    h.github.createStatusDirectly(deployment!.id, { state: 'pending' });
    const announced = await h.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0WEB');
    expect(JSON.stringify(announced.args.blocks)).toContain('forced past failing checks');
  });

  it('shows failing checks without "Deploy anyway" to someone who may not force', async () => {
    h.github.setCommitStatus('octo-org/web', main, 'ci/build', 'failure');
    const asked = await slash(h, 'web to production');
    const prompt = await nextResponse(h, asked.responseUrl);
    const confirm = await press(h, 'deploy_confirm', buttonValue(prompt, 'deploy_confirm')!);
    const refused = await nextResponse(h, confirm.responseUrl);
    expect(textOf(refused)).toContain('ci/build');
    expect(buttonValue(refused, 'deploy_force')).toBeUndefined();
  });

  it('does the same for a mention, naming the deployer by their Slack handle', async () => {
    const response = await h.slack.sendEvent(`${h.url}/slack/events`, 'slack-signing-secret-9c1e', {
      type: 'app_mention',
      user: 'U0BOB',
      channel: 'C0WEB',
      text: '<@UDEPLOYBOT> deploy web@feature/x to stg',
      ts: '1700000001.000100',
    });
    expect(response.status).toBe(200);
    const created = await h.github.waitForRequest(isCreate);
    expect(created.body).toMatchObject({
      ref: 'feature/x',
      environment: 'staging',
      payload: { deploy_user: 'bob' },
    });
  });

  it('ignores mentions by bots', async () => {
    await h.slack.sendEvent(`${h.url}/slack/events`, 'slack-signing-secret-9c1e', {
      type: 'app_mention',
      user: 'U0BOB',
      bot_id: 'B0OTHER',
      channel: 'C0WEB',
      text: '<@UDEPLOYBOT> deploy web',
      ts: '1700000002.000100',
    });
    await h.app.idle();
    expect(h.github.requests.filter(isCreate)).toEqual([]);
  });
});

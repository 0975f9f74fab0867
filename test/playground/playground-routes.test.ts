import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type PlaygroundRig, startPlaygroundRig } from './playground-rig.js';

describe('the playground routes', () => {
  let rig: PlaygroundRig;

  beforeAll(async () => {
    rig = await startPlaygroundRig();
  });
  afterAll(async () => {
    await rig.playground.stop();
  });

  it('serves the page, its script and its styles without a build step', async () => {
    const page = await fetch(rig.playground.pageUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/playground/playground.js">');
    for (const [file, type] of [
      ['playground.js', /^text\/javascript/],
      ['slack-blocks.js', /^text\/javascript/],
      ['playground.css', /^text\/css/],
    ] as const) {
      const response = await fetch(`${rig.playground.pageUrl}/${file}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(type);
    }
    expect((await fetch(`${rig.playground.pageUrl}/nothing-here`)).status).toBe(404);
  });

  it('starts with a repository, green CI on its commits and open pull requests', async () => {
    const state = await rig.state();
    expect(state.me).toBe('U0ALICE');
    expect(state.items).toEqual([]);
    expect(state.github.commits.length).toBeGreaterThanOrEqual(3);
    for (const commit of state.github.commits) expect(commit.statuses).toEqual({ 'ci/build': 'success' });
    expect(state.github.pulls.filter((pull) => pull.state === 'open').length).toBeGreaterThanOrEqual(2);
  });

  it('refuses bad input with the reason and changes nothing', async () => {
    const before = await rig.state();
    const answers = await Promise.all([
      rig.post('command', { user: 'U0ALICE', channel: 'C0WEB' }),
      rig.post('command', { user: 'alice; drop', channel: 'C0WEB', text: 'web' }),
      rig.post('github/merge', { repo: 'acme/web', number: 999 }),
      rig.post('github/merge', { repo: 'acme/nope', number: 1 }),
      rig.post('github/ci', { repo: 'acme/web', sha: 'f'.repeat(40), state: 'success' }),
      rig.post('github/ci', { repo: 'acme/web', sha: before.github.commits[0]?.sha, state: 'great' }),
      rig.post('github/deployments', {
        repo: 'acme/web',
        ref: 'no-such-branch',
        environment: 'staging',
        creator: 'x',
      }),
      rig.post('press', { user: 'U0ALICE', key: 'e:999', actionId: 'a', value: 'v', blockId: 'b' }),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body.error).toEqual(expect.any(String));
    }
    expect(answers[2]?.body.error).toBe('no pull request #999 in acme/web');
    expect(await rig.state()).toEqual(before);
  });

  it('runs a deployment another tool creates, and links its log page', async () => {
    const created = await rig.post('github/deployments', {
      repo: 'acme/web',
      ref: 'main',
      environment: 'staging',
      creator: 'octocat',
    });
    expect(created.status).toBe(200);
    const id = created.body.result as number;
    const done = await eventually('the deployment to succeed', async () => {
      const deployment = (await rig.state()).github.deployments.find((each) => each.id === id);
      return deployment?.state === 'success' ? deployment : undefined;
    });
    expect(done.creator).toBe('octocat');
    const logUrl = done.statuses.at(-1)?.logUrl ?? '';
    expect(logUrl.startsWith(`${rig.playground.deploybotUrl}/deploys/${id}/`)).toBe(true);
    const log = await fetch(`${logUrl}/log.json?after=0`);
    expect(log.status).toBe(200);
    const text = ((await log.json()) as { chunks: Array<{ text: string }> }).chunks
      .map((c) => c.text)
      .join('');
    // Fetched from GitHub, as a repository without clone_url is: the stand-in serves the local repository.
    expect(text).toContain('/acme/web.git');
    expect(text).toContain('Deploying acme/web@');
    expect(text).toContain('Deployed 1.1.0 to staging');
  });

  it('shows a mention as a message in the channel, and what deploybot answers', async () => {
    const sent = await rig.post('mention', { user: 'U0BOB', channel: 'C0WEB', text: 'help' });
    expect(sent.status).toBe(200);
    const seen = await eventually('an answer to the mention', async () => {
      const { items } = await rig.state('U0BOB');
      const mention = items.find((item) => item.text.includes('help') && item.key.startsWith('m:C0WEB:'));
      return mention && items.length > 1 ? items : undefined;
    });
    expect(seen.some((item) => item.text.startsWith('<@UDEPLOYBOT> help'))).toBe(true);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { deriveSha } from '../../src/stand-ins/github-payloads.js';
import { type GitHubStandIn, startGitHubStandIn } from '../../src/stand-ins/github-stand-in.js';
import { CHAT_CONFIG, nextResponse, slash, textOf } from '../support/chat.js';
import { type Harness, SECRETS, startHarness } from '../support/harness.js';

const old = deriveSha('old');
const head = deriveSha('head');

/** octo-org/web with `old` in production and `head` on main, on a GitHub stand-in. */
async function standIn(enterprise: boolean): Promise<GitHubStandIn> {
  const github = await startGitHubStandIn({
    token: SECRETS.githubToken,
    webhookSecret: SECRETS.githubWebhookSecret,
    ...(enterprise ? { enterprise: true } : {}),
  });
  github.addRepository('octo-org/web', { defaultBranch: 'main' });
  github.addRepository('octo-org/api');
  github.addCommit('octo-org/web', old, { message: 'Old release', author: 'octocat' });
  github.addCommit('octo-org/web', head, { message: 'New release', author: 'octocat' });
  github.setRef('octo-org/web', 'main', head);
  github.setRef('octo-org/api', 'main', deriveSha('api'));
  return github;
}

/** The one message announcing the deployment, blocks and all. */
function announcementIn(h: Harness): string {
  const message = h.slack.messagesIn('C0WEB')[0];
  return `${message?.text ?? ''}\n${JSON.stringify(message?.blocks ?? [])}`;
}

async function deployOldToProduction(h: Harness): Promise<void> {
  const current = h.github.createDeploymentDirectly('octo-org/web', {
    ref: old,
    sha: old,
    environment: 'production',
  });
  h.github.createStatusDirectly(current.id, { state: 'success' });
  await h.github.flushWebhooks();
  await h.app.idle();
}

describe('web links on GitHub Enterprise Server', () => {
  let github: GitHubStandIn;
  let h: Harness;
  afterEach(async () => {
    await h?.stop();
    await github?.close();
  });

  it('link commits, comparisons and the install page to the server GITHUB_API_URL names', async () => {
    github = await standIn(true);
    const web = github.webUrl;
    expect(github.url).toBe(`${web}/api/v3`);
    h = await startHarness({ github, config: CHAT_CONFIG, env: { GITHUB_API_URL: github.url } });
    await deployOldToProduction(h);

    const announcement = announcementIn(h);
    expect(announcement).toContain(`${web}/octo-org/web/commit/${old}`);

    const prompt = textOf(await nextResponse(h, (await slash(h, 'web to production')).responseUrl));
    expect(prompt).toContain(`${web}/octo-org/web/compare/${old}...${head}`);
    const where = textOf(await nextResponse(h, (await slash(h, 'where web')).responseUrl));
    expect(where).toContain(`${web}/octo-org/web/commit/${old}`);
    for (const text of [announcement, prompt, where]) expect(text).not.toContain('https://github.com');
    expect(github.schemaErrors).toEqual([]);
  });

  it('names the install page on the server for a repository its GitHub App is not on', async () => {
    github = await standIn(true);
    const app = github.createApp({ slug: 'deploybot-ghe' });
    github.installApp(app.id, 'octo-org', { repositories: ['octo-org/web'] });
    h = await startHarness({
      github,
      config: CHAT_CONFIG,
      env: {
        GITHUB_API_URL: github.url,
        GITHUB_TOKEN: '',
        GITHUB_APP_ID: String(app.id),
        GITHUB_APP_PRIVATE_KEY: app.privateKey,
      },
    });
    const answer = textOf(await nextResponse(h, (await slash(h, 'api to production')).responseUrl));
    expect(answer).toContain(`install it at ${github.webUrl}/apps/deploybot-ghe/installations/new`);
  });
});

describe('web links on github.com', () => {
  let github: GitHubStandIn;
  let h: Harness;
  afterEach(async () => {
    await h?.stop();
    await github?.close();
  });

  it('come from GITHUB_API_URL, not from the html_url a webhook carries', async () => {
    github = await standIn(false);
    h = await startHarness({ github, config: CHAT_CONFIG });
    await deployOldToProduction(h);
    // The stand-in's payloads say https://github.com; deploybot was told GitHub is at github.url.
    expect(JSON.stringify(github.sentWebhooks[0]?.payload)).toContain('https://github.com/octo-org/web');
    const announcement = announcementIn(h);
    expect(announcement).toContain(`${github.url}/octo-org/web/commit/${old}`);
    expect(announcement).not.toContain('https://github.com');
  });
});

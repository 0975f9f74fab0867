import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deriveSha } from '../../src/stand-ins/github-payloads.js';
import {
  type GitHubStandIn,
  type StandInApp,
  startGitHubStandIn,
} from '../../src/stand-ins/github-stand-in.js';
import { CHAT_CONFIG, nextResponse, slash, textOf } from '../support/chat.js';
import { type Harness, SECRETS, startHarness } from '../support/harness.js';

const isCreate = (repository: string) => (r: { method: string; path: string }) =>
  r.method === 'POST' && r.path === `/repos/${repository}/deployments`;

describe('deploybot as a GitHub App without GITHUB_APP_INSTALLATION_ID (npm start)', () => {
  let github: GitHubStandIn;
  let app: StandInApp;
  let h: Harness;

  beforeEach(async () => {
    github = await startGitHubStandIn({
      token: SECRETS.githubToken,
      webhookSecret: SECRETS.githubWebhookSecret,
    });
    github.addRepository('octo-org/web');
    github.addRepository('octo-org/api');
    github.setRef('octo-org/web', 'main', deriveSha('web-main'));
    github.setRef('octo-org/api', 'main', deriveSha('api-main'));
    app = github.createApp({ slug: 'deploybot-octo' });
    // Installed on the organization, but on web only.
    github.installApp(app.id, 'octo-org', { repositories: ['octo-org/web'] });
    h = await startHarness({
      github,
      config: CHAT_CONFIG,
      env: {
        GITHUB_TOKEN: '',
        GITHUB_APP_ID: String(app.id),
        // As a single-line variable holds it.
        GITHUB_APP_PRIVATE_KEY: app.privateKey.replaceAll('\n', '\\n'),
      },
    });
  });
  afterEach(async () => {
    await h.stop();
    await github.close();
  });

  it('deploys a repository of an installation with that installation’s token, as the App’s bot', async () => {
    const sent = await slash(h, 'web to staging');
    const created = await github.waitForRequest(isCreate('octo-org/web'), {
      description: 'create deployment',
    });
    expect(created.status).toBe(201);
    expect(created.headers.authorization).toMatch(/^token ghs_/);
    expect((await nextResponse(h, sent.responseUrl)).text).toContain('created');
    expect(github.deployments('octo-org/web')[0]?.creator.login).toBe('deploybot-octo[bot]');
    expect(github.schemaErrors).toEqual([]);
  });

  it('answers a deploy of a repository the App is not installed on by naming the install page, in chat and log', async () => {
    const installUrl = `${github.url}/apps/deploybot-octo/installations/new`;
    const sent = await slash(h, 'api to production');
    const answer = await nextResponse(h, sent.responseUrl);
    expect(textOf(answer)).toContain(
      `deploybot's GitHub App is not installed on octo-org/api: install it at ${installUrl}`,
    );
    expect(github.requests.some(isCreate('octo-org/api'))).toBe(false);
    await h.app.idle();
    const logged = h.logs.map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: `deploybot's GitHub App is not installed on octo-org/api; install it at ${installUrl}`,
      }),
    );

    github.installApp(app.id, 'octo-org', { repositories: ['octo-org/api'] });
    await slash(h, 'api to production');
    const created = await github.waitForRequest(isCreate('octo-org/api'), {
      description: 'create deployment',
    });
    expect(created.status).toBe(201);
  });

  it('logs neither the private key nor an installation token', async () => {
    const sent = await slash(h, 'web to staging');
    await nextResponse(h, sent.responseUrl);
    await h.app.idle();
    const tokens = github.requests
      .map((r) => /^token (ghs_\S+)$/.exec(r.headers.authorization ?? '')?.[1])
      .filter((token): token is string => token !== undefined);
    expect(tokens.length).toBeGreaterThan(0);
    const text = h.logs.join('\n');
    for (const token of tokens) expect(text).not.toContain(token);
    for (const line of app.privateKey.split('\n').slice(1, -2)) expect(text).not.toContain(line);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { type GitHubStandIn, startGitHubStandIn } from '../src/stand-ins/github-stand-in.js';
import { type SlackStandIn, startSlackStandIn } from '../src/stand-ins/slack-stand-in.js';
import { createPostgresDatabase } from './support/databases.js';
import { type Harness, SECRETS, startHarness } from './support/harness.js';

const isDeploymentList = (r: { method: string; path: string }) =>
  r.method === 'GET' && r.path === '/repos/octo-org/web/deployments';

/** The chore runs this harness logged, by chore name. */
function choreRuns(h: Harness, chore: string): number {
  return h.logs.filter((line) => {
    const entry = JSON.parse(line) as { msg?: string; chore?: string };
    return entry.msg === 'chore started' && entry.chore === chore;
  }).length;
}

/** Two deploybot processes on one PostgreSQL database, behind one GitHub and one Slack. */
describe('chores shared by two processes', () => {
  let github: GitHubStandIn;
  let slack: SlackStandIn;
  const apps: Harness[] = [];

  afterEach(async () => {
    for (const h of apps.splice(0)) await h.stop();
    await github.close();
    await slack.close();
  });

  it('runs each chore on one of them only, and on the other once the first has stopped', async () => {
    github = await startGitHubStandIn({
      token: SECRETS.githubToken,
      webhookSecret: SECRETS.githubWebhookSecret,
    });
    slack = await startSlackStandIn({ botToken: SECRETS.slackBotToken, appToken: SECRETS.slackAppToken });
    github.addRepository('octo-org/web');
    github.addRepository('octo-org/api');
    const database = await createPostgresDatabase();
    if (database.setting.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const env = { DATABASE_URL: database.setting.url };
    const a = await startHarness({ github, slack, env });
    apps.push(a);
    const b = await startHarness({ github, slack, env });
    apps.push(b);

    await a.app.sweep();
    const listed = github.requests.filter(isDeploymentList).length;
    // One list per environment of octo-org/web (staging, production).
    expect(listed).toBe(2);
    await b.app.sweep();
    await b.app.sweep();
    await a.app.sweep();
    expect(github.requests.filter(isDeploymentList)).toHaveLength(2 * listed);
    for (const chore of ['lock-expiry', 'reconcile', 'retention']) {
      expect(choreRuns(a, chore)).toBe(2);
      expect(choreRuns(b, chore)).toBe(0);
    }

    // A stops (a rolling restart): it gives its chores up, and B takes them at once.
    apps.splice(0, 1);
    await a.stop();
    await b.app.sweep();
    expect(github.requests.filter(isDeploymentList)).toHaveLength(3 * listed);
    for (const chore of ['lock-expiry', 'reconcile', 'retention']) expect(choreRuns(b, chore)).toBe(1);
  });
});

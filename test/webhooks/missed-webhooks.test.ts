import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildMergedPullRequestPayload, deriveSha } from '../../src/stand-ins/github-payloads.js';
import { type GitHubStandIn, startGitHubStandIn } from '../../src/stand-ins/github-stand-in.js';
import { type SlackStandIn, startSlackStandIn } from '../../src/stand-ins/slack-stand-in.js';
import { DEFAULT_TIMINGS } from '../../src/timings.js';
import { fixtureProvider } from '../support/deployer/deploy-harness.js';
import { type Harness, SECRETS, startHarness } from '../support/harness.js';
import { createManualClock } from '../support/manual-clock.js';

const REPO = 'octo-org/web';
const WAIT = { timeoutMs: 20_000 };
const HOUR = 60 * 60 * 1000;

/** staging runs the fixture script for deployments octocat makes; production is another system's. */
function missedConfig(resultDir: string): string {
  return JSON.stringify({
    slack: { channel: 'C0DEPLOYS' },
    github: { owner: 'octo-org' },
    repos: {
      [REPO]: {
        channel: 'C0WEB',
        environments: {
          staging: { provider: fixtureProvider(resultDir, ['record']), trusted_creators: ['octocat'] },
          production: { deploy_on_merge: 'release', required_contexts: ['ci/build'] },
        },
      },
    },
  });
}

// Just made, these deployments would be left to webhooks on their way: no grace, nothing is on its way here.
const RECONCILE_AT_START = {
  chores: { ...DEFAULT_TIMINGS.chores, reconcileAtStart: true, reconcileGraceMs: 0 },
};

describe('webhooks missed while deploybot was down', () => {
  let github: GitHubStandIn;
  let slack: SlackStandIn;
  let resultDir: string;
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.stop();
    h = undefined;
    expect(github.schemaErrors).toEqual([]);
    await github.close();
    await slack.close();
    await rm(resultDir, { recursive: true, force: true });
  });

  async function standIns() {
    github = await startGitHubStandIn({
      token: SECRETS.githubToken,
      webhookSecret: SECRETS.githubWebhookSecret,
    });
    slack = await startSlackStandIn({ botToken: SECRETS.slackBotToken, appToken: SECRETS.slackAppToken });
    resultDir = await mkdtemp(join(tmpdir(), 'deploybot-missed-'));
    github.addRepository(REPO);
  }

  const commit = (name: string) => {
    const sha = deriveSha(name);
    github.addCommit(REPO, sha, { message: name, author: 'octocat' });
    return sha;
  };
  const messageOf = (sha: string) =>
    slack.messagesIn('C0WEB').filter((m) => m.text.includes(sha.slice(0, 7)));
  const runs = async () => (await readdir(resultDir)).filter((name) => name.startsWith('run-'));

  it('runs the deployments it should and announces the statuses it missed, once, after it starts', async () => {
    await standIns();
    // No deploybot listens: these deployments and statuses reach no one.
    const toRun = github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: commit('to-run'),
      environment: 'staging',
    });
    const untrusted = github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: commit('untrusted'),
      environment: 'staging',
      creator: 'mallory',
    });
    const external = github.createDeploymentDirectly(REPO, {
      ref: 'main',
      sha: commit('external'),
      environment: 'production',
    });
    github.createStatusDirectly(external.id, { state: 'in_progress' });
    github.createStatusDirectly(external.id, {
      state: 'success',
      environment_url: 'https://www.example.com',
    });
    expect(github.sentWebhooks).toEqual([]);

    h = await startHarness({ github, slack, config: missedConfig(resultDir), timings: RECONCILE_AT_START });
    await github.waitForStatus(toRun.id, 'success', WAIT);
    const refused = await github.waitForStatus(untrusted.id, 'error', WAIT);
    expect(refused.description).toContain('not run: created by mallory');
    expect(await runs()).toEqual([`run-${toRun.id}.json`]);

    const shown = await slack.waitFor(() => {
      const [message] = messageOf(external.sha);
      return message?.text.includes('success') ? message : undefined;
    }, WAIT);
    // Its latest status is the message itself; the `in_progress` before it is history now.
    expect(shown.text).toContain('production');
    expect(slack.threadOf('C0WEB', shown.ts)).toEqual([]);
    await slack.waitFor(() => messageOf(toRun.sha)[0]?.text.includes('success'), WAIT);
    await slack.waitFor(() => messageOf(untrusted.sha)[0]?.text.includes('error'), WAIT);
    await h.app.idle();

    // Reconciling again finds nothing new: no second run, no second message or thread line.
    const messages = slack.messages.length;
    await h.app.sweep();
    await h.app.idle();
    expect(await runs()).toHaveLength(1);
    expect(slack.messages).toHaveLength(messages);
    for (const d of [toRun, untrusted, external]) expect(messageOf(d.sha)).toHaveLength(1);
  });

  it('sends a merge waiting for CI whose status event was missed, and drops one that waited a day', async () => {
    await standIns();
    const clock = createManualClock();
    h = await startHarness({ github, slack, config: missedConfig(resultDir), clock });
    const merge = async (number: number, sha: string) => {
      github.setCommitStatus(REPO, sha, 'ci/build', 'pending');
      const payload = buildMergedPullRequestPayload({
        repo: REPO,
        number,
        baseRef: 'release',
        mergeCommitSha: sha,
        author: 'octocat',
      });
      await h?.sendWebhook('pull_request', payload);
      await h?.app.idle();
      await slack.waitFor(() => messageOf(sha)[0]?.text.includes('waiting for CI'), WAIT);
    };
    const passing = commit('passing');
    await merge(41, passing);
    // CI passes, but its `status` event never reaches deploybot.
    github.setCommitStatus(REPO, passing, 'ci/build', 'success');
    await h.app.sweep();
    await slack.waitFor(() => messageOf(passing)[0]?.text.includes('checks passed'), WAIT);
    expect(github.deployments(REPO).map((d) => d.sha)).toEqual([passing]);

    const stuck = commit('stuck');
    await merge(42, stuck);
    clock.advance(23 * HOUR);
    await h.app.sweep();
    expect(messageOf(stuck)[0]?.text).toContain('waiting for CI');
    clock.advance(2 * HOUR);
    await h.app.sweep();
    const [dropped] = messageOf(stuck);
    expect(dropped?.text).toContain('not deployed, checks did not pass within 24 hours');
    expect(slack.threadOf('C0WEB', dropped?.ts ?? '').map((m) => m.text)).toEqual([
      expect.stringContaining('checks did not pass within 24 hours'),
    ]);
    // Nothing waits any more: GitHub is not asked again.
    const creates = github.requests.filter(
      (r) => r.method === 'POST' && r.path.endsWith('/deployments'),
    ).length;
    await h.app.sweep();
    expect(
      github.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/deployments')),
    ).toHaveLength(creates);
    expect(github.deployments(REPO).map((d) => d.sha)).toEqual([passing]);
  });
});

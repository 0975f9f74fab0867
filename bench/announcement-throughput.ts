/**
 * Announcement throughput: 300 signed deployment_status webhooks (each a new deployment) over
 * 30 repositories, each announced in its own channel, with the Slack stand-in answering every
 * call 50 ms late. Reported: announcements a second, from the first webhook sent to the last
 * announcement posted, and the Slack calls each one cost.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deliverWebhook } from '../src/stand-ins/github/webhook-delivery.js';
import { buildDeploymentStatusPayload } from '../src/stand-ins/github-payloads.js';
import { startGitHubStandIn } from '../src/stand-ins/github-stand-in.js';
import { startSlackStandIn } from '../src/stand-ins/slack-stand-in.js';
import { SECRETS, standInEnv } from '../test/support/harness.js';
import { startDeploybot } from './servers.js';

const CHANNELS = 30;
const STATUSES = 300;
const SLACK_LATENCY_MS = 50;
// GitHub delivers webhooks over several connections at once.
const SENDERS = 10;

export interface AnnouncementThroughput {
  readonly statuses: number;
  readonly channels: number;
  readonly slackLatencyMs: number;
  readonly elapsedMs: number;
  readonly perSecond: number;
  readonly slackCallsPerStatus: number;
  readonly webhookErrors: number;
}

const channelOf = (i: number) => `C0CH${String(i).padStart(2, '0')}`;
const repoOf = (i: number) => `octo-org/app-${String(i).padStart(2, '0')}`;

export async function measureAnnouncementThroughput(statuses = STATUSES): Promise<AnnouncementThroughput> {
  const dir = await mkdtemp(join(tmpdir(), 'deploybot-bench-announce-'));
  const indexes = Array.from({ length: CHANNELS }, (_, i) => i);
  await writeFile(
    join(dir, 'deploybot.yml'),
    JSON.stringify({
      slack: { channel: 'C0DEPLOYS' },
      github: { owner: 'octo-org' },
      repos: Object.fromEntries(
        indexes.map((i) => [repoOf(i), { channel: channelOf(i), environments: { production: {} } }]),
      ),
    }),
  );
  const github = await startGitHubStandIn({
    token: SECRETS.githubToken,
    webhookSecret: SECRETS.githubWebhookSecret,
  });
  const slack = await startSlackStandIn({
    botToken: SECRETS.slackBotToken,
    channels: ['C0DEPLOYS', ...indexes.map(channelOf)],
    latencyMs: SLACK_LATENCY_MS,
  });
  for (const i of indexes) github.addRepository(repoOf(i));
  const bot = await startDeploybot(
    'deploybot announcements',
    {
      ...standInEnv(github, slack),
      DATABASE_URL: `sqlite:${join(dir, 'deploybot.sqlite')}`,
      LOG_LEVEL: 'warn',
    },
    dir,
  );
  try {
    const payloads = Array.from({ length: statuses }, (_, n) =>
      buildDeploymentStatusPayload({
        repo: repoOf(n % CHANNELS),
        deployment: { id: 500_000 + n, ref: 'main', environment: 'production', creator: 'octocat' },
        status: { id: 600_000 + n, state: 'success' },
      }),
    );
    const callsBefore = slack.calls.length;
    const posted = () => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.response.ok).length;
    const postedBefore = posted();
    const started = performance.now();
    let webhookErrors = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        while (next < payloads.length) {
          const payload = payloads[next++];
          const result = await deliverWebhook(`${bot.url}/github/webhooks`, 'deployment_status', payload, {
            secret: SECRETS.githubWebhookSecret,
          }).catch(() => ({ status: 0 }));
          if (result.status < 200 || result.status >= 300) webhookErrors++;
        }
      }),
    );
    const deadline = performance.now() + 5 * 60_000;
    while (posted() - postedBefore < statuses && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The last post counts once Slack answered it.
    const elapsedMs = performance.now() - started + SLACK_LATENCY_MS;
    return {
      statuses,
      channels: CHANNELS,
      slackLatencyMs: SLACK_LATENCY_MS,
      elapsedMs,
      perSecond: ((posted() - postedBefore) / elapsedMs) * 1000,
      slackCallsPerStatus: (slack.calls.length - callsBefore) / statuses,
      webhookErrors,
    };
  } finally {
    await bot.stop();
    await github.close();
    await slack.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export function describeAnnouncementThroughput(result: AnnouncementThroughput): string {
  return (
    `Announcements: ${result.statuses} statuses over ${result.channels} channels, Slack answering in ` +
    `${result.slackLatencyMs} ms: all posted after ${(result.elapsedMs / 1000).toFixed(1)} s ` +
    `(${result.perSecond.toFixed(1)}/s), ${result.slackCallsPerStatus.toFixed(2)} Slack calls each, ` +
    `${result.webhookErrors} webhook errors`
  );
}

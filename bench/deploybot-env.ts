/** deploybot as the bench runs it: the built bot against loopback stand-ins, embedded SQLite. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubStandIn } from '../src/stand-ins/github-stand-in.js';
import { startSlackStandIn } from '../src/stand-ins/slack-stand-in.js';
import { SECRETS, standInEnv } from '../test/support/harness.js';
import { type RunningServer, startDeploybot } from './servers.js';

const CONFIG = `
slack: { channel: C0DEPLOYS }
github: { owner: octo-org }
users: { U0ALICE: alice }
repos:
  octo-org/web:
    channel: C0WEB
    environments:
      staging: { confirm: false }
      production: {}
`;

export interface BenchWorld {
  readonly slackResponseUrl: () => string;
  /** How many messages deploybot has posted to Slack so far. */
  readonly posted: () => number;
  /** A fresh deploybot on a fresh SQLite store, or on the given DATABASE_URL (several processes can share one). */
  startDeploybot(name: string, options?: { readonly databaseUrl?: string }): Promise<RunningServer>;
  close(): Promise<void>;
}

export async function startBenchWorld(): Promise<BenchWorld> {
  const github = await startGitHubStandIn({
    token: SECRETS.githubToken,
    webhookSecret: SECRETS.githubWebhookSecret,
  });
  const slack = await startSlackStandIn({ botToken: SECRETS.slackBotToken });
  github.addRepository('octo-org/web');
  const dirs: string[] = [];
  return {
    slackResponseUrl: () => slack.responseUrl(),
    posted: () => slack.calls.filter((c) => c.method === 'chat.postMessage').length,
    async startDeploybot(name, options = {}) {
      const dir = await mkdtemp(join(tmpdir(), 'deploybot-bench-'));
      dirs.push(dir);
      await writeFile(join(dir, 'deploybot.yml'), CONFIG);
      return startDeploybot(
        name,
        {
          ...standInEnv(github, slack),
          DATABASE_URL: options.databaseUrl ?? `sqlite:${join(dir, 'deploybot.sqlite')}`,
          LOG_LEVEL: 'warn',
        },
        dir,
      );
    },
    async close() {
      await github.close();
      await slack.close();
      await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

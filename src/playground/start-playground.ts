import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { buildApp } from '../app.js';
import { parseConfig } from '../config/config-file.js';
import { parseSettings } from '../config/settings.js';
import type { Config } from '../core/config.js';
import type { HostEnv } from '../core/deploy-env.js';
import type { Scheduler } from '../core/scheduler.js';
import { listenHttp } from '../http/listen-http.js';
import { finishHttpApp } from '../http/server.js';
import type { Logger } from '../logger.js';
import type { ProcessMemory } from '../process-memory.js';
import { type GitHubStandIn, startGitHubStandIn } from '../stand-ins/github-stand-in.js';
import { type SlackStandIn, startSlackStandIn } from '../stand-ins/slack-stand-in.js';
import type { Timings } from '../timings.js';
import { GitHubDesk } from './github-desk.js';
import { createLocalRepository } from './local-repository.js';
import {
  branchesOf,
  channelsOf,
  contextsOf,
  mapConfigOntoRepository,
  PLAYGROUND_CONFIG,
  peopleOf,
} from './playground-config.js';
import { createPlaygroundRouter } from './playground-routes.js';
import { SlackDesk } from './slack-desk.js';

export interface PlaygroundOptions {
  /** Where the page is served, on loopback; 0 picks a free port. */
  readonly port: number;
  /** The user's deploybot.yml (text and file name); the playground's own when absent. */
  readonly config?: { readonly text: string; readonly source: string };
  /** Where the temporary directory (repository, store, checkouts) goes: the OS's temp dir. */
  readonly tempDir: string;
  readonly logger: Logger;
  readonly scheduler: Scheduler;
  readonly fetch: typeof globalThis.fetch;
  readonly memory: ProcessMemory;
  readonly timings: Timings;
  readonly deployHost: HostEnv;
}

export interface RunningPlayground {
  /** e.g. http://localhost:3000/playground */
  readonly pageUrl: string;
  /** deploybot itself, where the log pages are. */
  readonly deploybotUrl: string;
  readonly config: Config;
  stop(): Promise<void>;
}

/**
 * deploybot with everything it talks to on loopback, in one process: the Slack and GitHub
 * stand-ins, a local git repository with script/deploy, SQLite in a temporary directory;
 * and the page at /playground where a person plays Slack and GitHub. A bad deploybot.yml
 * throws config_invalid before anything starts.
 */
export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const given = parseConfig(
    options.config?.text ?? PLAYGROUND_CONFIG,
    options.config?.source ?? 'playground',
  );
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    const root = await mkdtemp(join(options.tempDir, 'deploybot-playground-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const repository = await createLocalRepository(join(root, 'git'), options.deployHost.path);
    const config = mapConfigOntoRepository(given);
    // Fresh for every run, and never shown: nothing of a real workspace or account is involved.
    const secret = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;
    const secrets = {
      slackBotToken: secret('xoxb-playground-'),
      slackSigningSecret: secret(''),
      githubToken: secret('ghp_playground'),
      githubWebhookSecret: secret(''),
    };
    const github: GitHubStandIn = await startGitHubStandIn({
      token: secrets.githubToken,
      webhookSecret: secrets.githubWebhookSecret,
    });
    cleanups.push(() => github.close());
    const people = peopleOf(config);
    const channels = channelsOf(config);
    const slack: SlackStandIn = await startSlackStandIn({
      botToken: secrets.slackBotToken,
      channels,
      users: people.map((person) => ({ id: person.id, name: person.name })),
    });
    cleanups.push(() => slack.close());

    const deploybotPort = await findFreePort();
    const deploybotUrl = `http://localhost:${deploybotPort}`;
    const settings = parseSettings(
      {
        PORT: String(deploybotPort),
        PUBLIC_URL: deploybotUrl,
        SLACK_BOT_TOKEN: secrets.slackBotToken,
        SLACK_SIGNING_SECRET: secrets.slackSigningSecret,
        SLACK_API_URL: slack.apiUrl,
        GITHUB_TOKEN: secrets.githubToken,
        GITHUB_WEBHOOK_SECRET: secrets.githubWebhookSecret,
        GITHUB_API_URL: github.url,
        DATABASE_URL: `sqlite:${join(root, 'deploybot.sqlite')}`,
      },
      root,
    );
    const app = buildApp({
      settings,
      config,
      logger: options.logger,
      scheduler: options.scheduler,
      fetch: options.fetch,
      memory: options.memory,
      timings: options.timings,
      deployHost: options.deployHost,
      workDir: root,
    });
    // Registered before the app starts, so a failed start still closes what it opened.
    cleanups.push(() => app.stop());
    const running = await app.start();
    github.webhookUrl = `${running.url}/github/webhooks`;

    const githubDesk = new GitHubDesk({
      github,
      repository,
      gitPath: options.deployHost.path,
      repos: config.repos.map((repo) => repo.fullName),
      branches: branchesOf(config),
      contexts: contextsOf(config),
      environments: Object.fromEntries(
        config.repos.map((repo) => [repo.fullName, repo.environments.map((environment) => environment.name)]),
      ),
    });
    githubDesk.seed();
    const slackDesk = new SlackDesk(slack, `${running.url}/slack/events`, secrets.slackSigningSecret);

    const page = express();
    page.disable('x-powered-by');
    page.get('/', (_req, res) => res.redirect('/playground'));
    page.use(
      '/playground',
      createPlaygroundRouter({
        slack: slackDesk,
        github: githubDesk,
        botUserId: slack.botUserId,
        people,
        channels,
        deploybotUrl,
      }),
    );
    finishHttpApp(page, options.logger);
    const server = await listenHttp(options.port, page, '127.0.0.1');
    cleanups.push(server.close);
    return { pageUrl: `http://localhost:${server.port}/playground`, deploybotUrl, config, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A port free on loopback now, for deploybot, whose PUBLIC_URL (the log pages' links) must name it before it listens. */
function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

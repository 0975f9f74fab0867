/**
 * Slash command ack while deploybot is busy: `/deploy help` p99 on an idle deploybot, then again
 * while 50 deploys run and the GitHub stand-in answers every request 2 s late. The goal is
 * ≤ 1.5× the idle p99: slow GitHub calls and running deploys must not hold up Slack's 3-second ack.
 */
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startGitHubStandIn } from '../src/stand-ins/github-stand-in.js';
import { startSlackStandIn } from '../src/stand-ins/slack-stand-in.js';
import { SECRETS, standInEnv } from '../test/support/harness.js';
import { type LoadResult, runLoad } from './load.js';
import { slashRequests } from './requests.js';
import { startDeploybot } from './servers.js';
import type { LoadShape } from './side-by-side.js';

const HOLD_DEPLOY = fileURLToPath(new URL('hold-deploy.mjs', import.meta.url));
const DEPLOYS = 50;
const GITHUB_LATENCY_MS = 2_000;

export interface AckUnderLoadResult {
  readonly idle: LoadResult;
  readonly underLoad: LoadResult;
  /** Deploy scripts running when the loaded round began, and still holding when it ended. */
  readonly deploysRunning: number;
  readonly githubLatencyMs: number;
  readonly p99Ratio: number;
  readonly goalMet: boolean;
}

function configFor(gateDir: string): string {
  const environments = Object.fromEntries(
    Array.from({ length: DEPLOYS }, (_, i) => [
      `lane-${String(i).padStart(2, '0')}`,
      {
        trusted_creators: ['octocat'],
        provider: {
          type: 'script',
          command: [process.execPath, HOLD_DEPLOY],
          checkout: false,
          timeout: 600,
          env: { GATE_DIR: gateDir, HOLD_MAX_MS: '180000' },
        },
      },
    ]),
  );
  return JSON.stringify({
    slack: { channel: 'C0DEPLOYS' },
    github: { owner: 'octo-org' },
    users: { U0ALICE: 'alice' },
    repos: { 'octo-org/web': { channel: 'C0WEB', environments } },
  });
}

const started = (gateDir: string) => readdirSync(gateDir).filter((f) => f.startsWith('started-')).length;

export async function measureAckUnderLoad(shape: LoadShape): Promise<AckUnderLoadResult> {
  const dir = await mkdtemp(join(tmpdir(), 'deploybot-bench-ack-'));
  const gateDir = join(dir, 'gates');
  await mkdir(gateDir);
  await writeFile(join(dir, 'deploybot.yml'), configFor(gateDir));
  const github = await startGitHubStandIn({
    token: SECRETS.githubToken,
    webhookSecret: SECRETS.githubWebhookSecret,
  });
  const slack = await startSlackStandIn({ botToken: SECRETS.slackBotToken });
  github.addRepository('octo-org/web');
  const bot = await startDeploybot(
    'deploybot under load',
    {
      ...standInEnv(github, slack),
      DATABASE_URL: `sqlite:${join(dir, 'deploybot.sqlite')}`,
      DEPLOY_CONCURRENCY: String(DEPLOYS),
      // GitHub's second between writes would space the 50 deploys' statuses over minutes.
      GITHUB_WRITE_INTERVAL_MS: '0',
      LOG_LEVEL: 'warn',
    },
    dir,
  );
  try {
    const help = () => slashRequests(SECRETS.slackSigningSecret, 'help', () => slack.responseUrl());
    const measure = async () => {
      const next = help();
      await runLoad({ url: bot.url, next, connections: shape.connections, seconds: shape.warmupSeconds });
      return runLoad({ url: bot.url, next, connections: shape.connections, seconds: shape.seconds });
    };
    const idle = await measure();

    github.delay({ method: '*', path: /.*/ }, GITHUB_LATENCY_MS);
    github.webhookUrl = `${bot.url}/github/webhooks`;
    for (let i = 0; i < DEPLOYS; i++) {
      const ref = `hold-${i}`;
      github.createDeploymentDirectly('octo-org/web', {
        ref,
        sha: `${i.toString(16).padStart(2, '0')}${'a'.repeat(38)}`,
        environment: `lane-${String(i).padStart(2, '0')}`,
        creator: 'octocat',
      });
    }
    const deadline = performance.now() + 120_000;
    while (started(gateDir) < DEPLOYS && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const deploysRunning = started(gateDir);
    const underLoad = await measure();
    const p99Ratio = underLoad.p99Ms / idle.p99Ms;
    return {
      idle,
      underLoad,
      deploysRunning,
      githubLatencyMs: GITHUB_LATENCY_MS,
      p99Ratio,
      goalMet: deploysRunning === DEPLOYS && p99Ratio <= 1.5,
    };
  } finally {
    await writeFile(join(gateDir, 'release'), '');
    await bot.stop();
    await github.close();
    await slack.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export function describeAckUnderLoad(result: AckUnderLoadResult): string {
  return (
    `/deploy help ack: p99 ${result.idle.p99Ms.toFixed(1)} ms idle, ${result.underLoad.p99Ms.toFixed(1)} ms ` +
    `while ${result.deploysRunning} deploys run and GitHub answers in ${result.githubLatencyMs / 1000} s ` +
    `(${result.p99Ratio.toFixed(2)}×, goal ≤ 1.5×: ${result.goalMet ? 'met' : 'MISSED'}); ` +
    `${result.underLoad.requestsPerSecond.toFixed(0)} req/s under load vs ${result.idle.requestsPerSecond.toFixed(0)} idle, ` +
    `${result.idle.errors + result.underLoad.errors} errors`
  );
}

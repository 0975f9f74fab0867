import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveSha } from '../../src/stand-ins/github-payloads.js';
import {
  type GitHubStandIn,
  type StoredStatus,
  startGitHubStandIn,
} from '../../src/stand-ins/github-stand-in.js';
import { type SlackStandIn, startSlackStandIn } from '../../src/stand-ins/slack-stand-in.js';
import { freePort, type RunningBot, spawnBot, waitForHealthy } from '../support/child-process.js';
import { createPostgresDatabase, skipWithoutPostgres } from '../support/databases.js';
import { SECRETS, standInEnv } from '../support/harness.js';
import {
  describeLaneGaps,
  findOverlaps,
  findRepeatedRuns,
  pairRuns,
  readRunRecords,
} from '../support/multi/run-records.js';
import { seededRandom, startWebhookFanOut, type WebhookFanOut } from '../support/multi/webhook-fan-out.js';

const RECORD_RUN = fileURLToPath(new URL('../support/multi/record-run.mjs', import.meta.url));
// Ten repositories of two environments: lanes that share a repository, and deliveries ordered per repository.
const REPOSITORIES = Array.from({ length: 10 }, (_, i) => `octo-org/svc-${i}`);
const ENVIRONMENTS = ['staging', 'production'];
const LANES = REPOSITORIES.flatMap((repo) => ENVIRONMENTS.map((environment) => ({ repo, environment })));
const DEPLOYMENTS = 200;
const PROCESSES = 3;
const CHANNEL = 'C0DEPLOYS';
const FINAL = new Set(['success', 'failure', 'error']);
const STOPPED = 'the deploybot process running it stopped';
// Generous, for a loaded machine: a passing run polls its way out long before, though a killed
// process's leases take up to 30 s to lapse.
const FINAL_WITHIN_MS = 150_000;
// Replay a failing run with MULTI_PROCESS_SEED=<the seed it printed>; MULTI_PROCESS_LOG_LEVEL=info
// and MULTI_PROCESS_LOGS=<dir> keep the processes' logs.
const SEED = Number(process.env.MULTI_PROCESS_SEED ?? Math.floor(Math.random() * 2 ** 31));

function configFor(runsFile: string): string {
  const environments = Object.fromEntries(
    ENVIRONMENTS.map((name) => [
      name,
      {
        trusted_creators: ['octocat'],
        provider: {
          type: 'script',
          command: [process.execPath, RECORD_RUN],
          checkout: false,
          timeout: 60,
          env: { RUNS_FILE: runsFile, SLEEP_MS: '150' },
        },
      },
    ]),
  );
  return JSON.stringify({
    slack: { channel: CHANNEL },
    github: { owner: 'octo-org' },
    repos: Object.fromEntries(REPOSITORIES.map((repo) => [repo, { environments }])),
  });
}

/** The statuses webhooks announce: the `inactive` ones GitHub adds on its own send none. */
function announcedStates(statuses: readonly StoredStatus[]): string[] {
  return statuses.filter((s) => s.state !== 'inactive').map((s) => s.state);
}

/** "…: success" or "…: success after 1m 05s", the state at the end of an announcement's text. */
function stateInText(text: string): string | undefined {
  return /: (\w+)(?: after [\dhms ]+)?$/.exec(text)?.[1];
}

/** Polls until `check` holds; false after `timeoutMs`, so the test can still report everything else. */
async function pollUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/** The error lines a process logged, for a failure message. */
function errorsOf(bot: RunningBot): string {
  const lines = bot
    .output()
    .split('\n')
    .filter((line) => /"level":(50|60)/.test(line));
  return lines.slice(-5).join('\n');
}

describe('three deploybot processes on one PostgreSQL (node dist/main.js)', () => {
  skipWithoutPostgres();
  let dir: string;
  let github: GitHubStandIn;
  let slack: SlackStandIn;
  let fanOut: WebhookFanOut;
  const bots: Array<{ bot: RunningBot; url: string; alive: boolean }> = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploybot-replicas-'));
    github = await startGitHubStandIn({
      token: SECRETS.githubToken,
      webhookSecret: SECRETS.githubWebhookSecret,
    });
    slack = await startSlackStandIn({ botToken: SECRETS.slackBotToken });
    for (const repo of REPOSITORIES) github.addRepository(repo);
  });
  afterAll(async () => {
    // MULTI_PROCESS_LOGS=DIR keeps what each process printed, to read after a failure.
    const logsDir = process.env.MULTI_PROCESS_LOGS;
    if (logsDir) {
      for (const { bot } of bots) await writeFile(join(logsDir, `bot-${bot.child.pid}.log`), bot.output());
    }
    for (const { bot } of bots) {
      if (bot.child.exitCode === null && bot.child.signalCode === null) {
        bot.child.kill('SIGKILL');
        await bot.exited;
      }
    }
    await fanOut?.close();
    await github?.close();
    await slack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs each of 200 deployments once, one at a time per lane, announced once, with one process killed', {
    timeout: 240_000,
  }, async () => {
    const random = seededRandom(SEED);
    const context = () => `(seed ${SEED}; replay with MULTI_PROCESS_SEED=${SEED})`;
    const runsFile = join(dir, 'runs.jsonl');
    await writeFile(join(dir, 'deploybot.yml'), configFor(runsFile));
    const database = await createPostgresDatabase();
    if (database.setting.kind !== 'postgres') throw new Error('expected a PostgreSQL database');

    for (let i = 0; i < PROCESSES; i++) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const bot = spawnBot(
        {
          ...standInEnv(github, slack),
          PORT: String(port),
          PUBLIC_URL: url,
          DATABASE_URL: database.setting.url,
          // GitHub's second between writes would make 600 statuses take minutes.
          GITHUB_WRITE_INTERVAL_MS: '0',
          // Enough for every lane at once on the two processes left after the kill.
          DEPLOY_CONCURRENCY: '10',
          LOG_LEVEL: process.env.MULTI_PROCESS_LOG_LEVEL ?? 'warn',
        },
        dir,
      );
      bots.push({ bot, url, alive: true });
    }
    await Promise.all(bots.map(({ bot, url }) => waitForHealthy(url, bot, 30_000)));
    fanOut = await startWebhookFanOut({
      targets: () => bots.filter((b) => b.alive).map((b) => `${b.url}/github/webhooks`),
      copies: 2,
      redeliverShare: 0.1,
      redeliverWithinMs: 3_000,
      random,
    });
    github.webhookUrl = fanOut.url;
    const startedAt = Date.now();

    // Lanes in a shuffled order, ten deployments each, created a few at a time as GitHub would.
    const ids: number[] = [];
    const refOf = new Map<number, string>();
    const finished = () => ids.filter((id) => github.statuses(id).some((s) => FINAL.has(s.state))).length;
    const killAfter = Math.floor(DEPLOYMENTS * (0.25 + random() * 0.45));
    const victim = bots[Math.floor(random() * bots.length)]!;
    let killed = false;
    let killedAtMs = 0;
    const killWhenDue = () => {
      if (killed || finished() < killAfter) return;
      killed = true;
      killedAtMs = Date.now() - startedAt;
      victim.alive = false;
      victim.bot.child.kill('SIGKILL');
    };
    for (let n = 0; n < DEPLOYMENTS; n++) {
      const lane = LANES[Math.floor(random() * LANES.length)]!;
      const ref = `release-${n}`;
      const deployment = github.createDeploymentDirectly(lane.repo, {
        ref,
        sha: deriveSha(ref),
        environment: lane.environment,
        creator: 'octocat',
      });
      ids.push(deployment.id);
      refOf.set(deployment.id, ref);
      if (n % 10 === 9) {
        killWhenDue();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    const unfinished = () => ids.filter((id) => !github.statuses(id).some((s) => FINAL.has(s.state)));
    const allFinal = await pollUntil(() => {
      killWhenDue();
      return killed && unfinished().length === 0;
    }, FINAL_WITHIN_MS);
    const finishedAfterMs = Date.now() - startedAt;
    // Soft from here on: a broken run reports everything that is wrong with it, not only the first thing.
    expect
      .soft(
        unfinished().map((id) => `${id}: ${announcedStates(github.statuses(id)).join(',') || '(no status)'}`),
        `deployments without a final status after ${FINAL_WITHIN_MS / 1000} s ${context()}\n${bots.map((b) => errorsOf(b.bot)).join('\n')}`,
      )
      .toEqual([]);
    expect(killed, 'the process was killed mid-run').toBe(true);
    await victim.bot.exited;
    await github.flushWebhooks();
    await fanOut.settled();

    const topLevelPosts = (id: number) =>
      slack.calls.filter(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.args.thread_ts === undefined &&
          typeof c.args.text === 'string' &&
          c.args.text.includes(` ${refOf.get(id)} (`),
      );
    const messageOf = (id: number) =>
      slack.messagesIn(CHANNEL).filter((m) => m.text.includes(` ${refOf.get(id)} (`));
    const linesOf = (id: number) => {
      const [message] = messageOf(id);
      return message ? slack.threadOf(CHANNEL, message.ts).map((m) => stateInText(m.text)) : [];
    };
    const replyTimes = (id: number) => {
      const [message] = messageOf(id);
      if (!message) return [];
      return slack.calls
        .filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === message.ts)
        .map((c) => c.at - startedAt);
    };
    const unannounced = () =>
      ids.filter((id) => linesOf(id).length < announcedStates(github.statuses(id)).length - 1);
    if (allFinal) await pollUntil(() => unannounced().length === 0, 60_000);
    // What GitHub shows: a final status for each, `error` only for a deploy the killed process ran.
    const runs = pairRuns(readRunRecords(runsFile));
    const gaps = describeLaneGaps(runs);
    process.stderr.write(
      `replicas: ${DEPLOYMENTS} deployments final after ${(finishedAfterMs / 1000).toFixed(1)} s, ` +
        `announced after ${((Date.now() - startedAt) / 1000).toFixed(1)} s; killed pid ${victim.bot.child.pid} ` +
        `at ${(killedAtMs / 1000).toFixed(1)} s, after ${killAfter} had finished; lanes idle ${gaps.medianMs} ms between runs (median), ${gaps.maxMs} ms at most; ${fanOut.forwarded.length} forwarded deliveries ${context()}\n`,
    );

    const victimPid = victim.bot.child.pid;
    const wrongEnds = ids.flatMap((id) => {
      const statuses = github.statuses(id).filter((s) => s.state !== 'inactive');
      const last = statuses.at(-1);
      if (last === undefined || !FINAL.has(last.state) || last.state === 'success') return [];
      const ranOn = runs.filter((r) => r.deployment === id).map((r) => r.bot);
      // A script whose bot was killed as it started it finds itself an orphan (parent pid 1): the victim's.
      const byVictim = ranOn.every((pid) => pid === victimPid || pid === 1);
      if (last.state === 'error' && last.description === STOPPED && byVictim) return [];
      return [`${id}: ${last.state} "${last.description}" (ran on ${ranOn.join(',') || 'none'})`];
    });
    expect.soft(wrongEnds, `deployments that did not end in success ${context()}`).toEqual([]);

    // What the scripts recorded: none twice, one at a time per lane.
    expect.soft(findRepeatedRuns(runs), `deployments run more than once ${context()}`).toEqual([]);
    expect.soft(findOverlaps(runs), `lanes that ran two at once ${context()}`).toEqual([]);
    const succeeded = ids.filter((id) => github.statuses(id).some((s) => s.state === 'success'));
    const ran = new Set(runs.map((r) => r.deployment));
    expect
      .soft(
        succeeded.filter((id) => !ran.has(id)),
        `succeeded without running ${context()}`,
      )
      .toEqual([]);

    // What Slack shows: one message per deployment, a thread line per later status, in order.
    const postCounts = ids
      .map((id) => `${id}: ${topLevelPosts(id).length} messages`)
      .filter((line) => !line.endsWith(': 1 messages'));
    expect.soft(postCounts, `deployments not posted exactly once ${context()}`).toEqual([]);
    const mismatched = ids.flatMap((id) => {
      const lines = linesOf(id);
      // The `inactive` GitHub adds sends no webhook, but reconciliation may announce it: in its place.
      const states = lines.includes('inactive')
        ? github.statuses(id).map((s) => s.state)
        : announcedStates(github.statuses(id));
      const [message] = messageOf(id);
      const shown = message === undefined ? undefined : stateInText(message.text);
      return shown === states.at(-1) && JSON.stringify(lines) === JSON.stringify(states.slice(1))
        ? []
        : [
            `${id}: GitHub ${states.join(',')}; message shows ${shown}, thread ${lines.join(',')} ` +
              `(lines at ${replyTimes(id).join(',')} ms)`,
          ];
    });
    expect
      .soft(
        mismatched,
        `announcements that do not match GitHub (process killed at ${killedAtMs} ms) ${context()}`,
      )
      .toEqual([]);

    // Each status said once: the same state and words twice in a row is a process repeating another.
    const repeated = ids.flatMap((id) => {
      const statuses = github.statuses(id).filter((s) => s.state !== 'inactive');
      const twice = statuses.filter(
        (s, i) =>
          i > 0 && s.state === statuses[i - 1]?.state && s.description === statuses[i - 1]?.description,
      );
      // Every state, the automatic `inactive` too: one above a repeat says a later deployment came between.
      const all = github.statuses(id).map((s) => s.state);
      return twice.length === 0 ? [] : [`${id}: ${all.join(',')}`];
    });
    expect.soft(repeated, `deployments given the same status twice on GitHub ${context()}`).toEqual([]);

    expect.soft(fanOut.undelivered, `deliveries no process took ${context()}`).toEqual([]);
    expect.soft(github.schemaErrors).toEqual([]);
    for (const { bot } of bots) {
      for (const secret of Object.values(SECRETS)) expect.soft(bot.output()).not.toContain(secret);
    }
  });
});

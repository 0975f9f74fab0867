/**
 * `npm run bench`: deploybot measured side by side with the frameworks it is built on, the
 * same signed requests for each, on this machine. Never part of `npm test`. Prints a table
 * and writes bench/results.json; ratios are what to read, absolute figures are noise.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { SECRETS } from '../test/support/harness.js';
import { measureBurst } from './burst.js';
import { countCalls } from './call-counts.js';
import { startBenchWorld } from './deploybot-env.js';
import { slashRequests, webhookRequests } from './requests.js';
import { startAnchor } from './servers.js';
import { type Contender, formatTable, measureSideBySide, summarize } from './side-by-side.js';

// BENCH_QUICK=1: a short smoke run of the whole bench, figures not worth reading.
const SHAPE = process.env.BENCH_QUICK
  ? { connections: 20, warmupSeconds: 1, seconds: 1, rounds: 1 }
  : { connections: 20, warmupSeconds: 1, seconds: 5, rounds: 2 };

async function main(): Promise<void> {
  const world = await startBenchWorld();
  // Each server gets ids of its own million, so no run's deliveries collide with another's.
  let round = 0;
  const webhooks = () => {
    round += 1;
    return webhookRequests(SECRETS.githubWebhookSecret, round * 1_000_000);
  };
  const anchorEnv = {
    GITHUB_WEBHOOK_SECRET: SECRETS.githubWebhookSecret,
    SLACK_SIGNING_SECRET: SECRETS.slackSigningSecret,
  };
  const slash = (text: string) => () =>
    slashRequests(SECRETS.slackSigningSecret, text, world.slackResponseUrl);
  try {
    process.stderr.write('webhook ingest\n');
    const ingest: Contender[] = [
      {
        name: '@octokit/webhooks',
        start: () => startAnchor('@octokit/webhooks', 'octokit-webhooks.ts', anchorEnv),
        requests: webhooks,
      },
      {
        name: 'Probot 14',
        anchor: '@octokit/webhooks',
        start: () => startAnchor('Probot 14', 'probot.ts', anchorEnv),
        requests: webhooks,
      },
      {
        name: 'deploybot webhooks',
        anchor: '@octokit/webhooks',
        start: () => world.startDeploybot('deploybot'),
        requests: webhooks,
      },
    ];
    const webhookRows = summarize(await measureSideBySide(ingest, SHAPE));

    process.stderr.write('slash command ack\n');
    const acks: Contender[] = [
      {
        name: 'Bolt HTTPReceiver',
        start: () => startAnchor('Bolt HTTPReceiver', 'bolt.ts', { ...anchorEnv, BOLT_RECEIVER: 'http' }),
        requests: slash('help'),
      },
      {
        name: 'Bolt ExpressReceiver',
        anchor: 'Bolt HTTPReceiver',
        start: () =>
          startAnchor('Bolt ExpressReceiver', 'bolt.ts', { ...anchorEnv, BOLT_RECEIVER: 'express' }),
        requests: slash('help'),
      },
      {
        name: 'deploybot /deploy help',
        anchor: 'Bolt ExpressReceiver',
        start: () => world.startDeploybot('deploybot'),
        requests: slash('help'),
      },
      {
        name: 'deploybot /deploy web@main to staging',
        anchor: 'Bolt ExpressReceiver',
        start: () => world.startDeploybot('deploybot'),
        requests: slash('web@main to staging'),
      },
    ];
    const ackRows = summarize(await measureSideBySide(acks, SHAPE));

    process.stderr.write('start-up and idle memory\n');
    const readyMs: number[] = [];
    let idleRssMb = 0;
    for (let i = 0; i < 3; i++) {
      const bot = await world.startDeploybot('deploybot');
      readyMs.push(bot.readyMs);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      idleRssMb = Math.max(idleRssMb, bot.rssMb());
      await bot.stop();
    }

    process.stderr.write('burst of webhooks\n');
    const burst = await measureBurst(world, webhooks(), {
      deliveries: process.env.BENCH_QUICK ? 2_000 : 20_000,
      quietMs: process.env.BENCH_QUICK ? 5_000 : 60_000,
      drained: world.posted,
    });

    process.stderr.write('calls per flow\n');
    const calls = await countCalls();

    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
    const results = {
      date: new Date().toISOString(),
      machine,
      shape: SHAPE,
      webhookIngest: webhookRows,
      slashCommandAck: ackRows,
      readyMs: Math.min(...readyMs),
      idleRssMb,
      burst,
      calls,
    };
    await writeFile(new URL('results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`deploybot bench, ${results.date}, ${machine}\n`);
    console.log('Webhook ingest (signed deployment_status, persisted then acked):\n');
    console.log(formatTable(webhookRows));
    console.log('\nSlash command ack:\n');
    console.log(formatTable(ackRows));
    console.log(
      `\nReady after start: ${results.readyMs.toFixed(0)} ms · idle RSS ${idleRssMb.toFixed(0)} MB`,
    );
    console.log(
      `Burst of ${burst.deliveries} webhooks: RSS ${burst.idleRssMb.toFixed(0)} MB idle, ${burst.peakRssMb.toFixed(0)} MB at most, ` +
        `${burst.rssAfterQuietMb.toFixed(0)} MB ${burst.quietMs / 1000} s after; all announced after ${(burst.drainedAfterMs / 1000).toFixed(1)} s; ${burst.errors} errors`,
    );
    console.log('\nCalls per flow:');
    for (const c of calls) console.log(`  ${c.what}: ${c.github} GitHub, ${c.slack} Slack`);
  } finally {
    await world.close();
  }
}

await main();

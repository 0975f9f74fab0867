/**
 * `npm run bench`: deploybot measured side by side with the frameworks it is built on, the
 * same signed requests for each, on this machine. Never part of `npm test`. Prints a table
 * and writes bench/results.json; ratios are what to read, absolute figures are noise.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { SECRETS } from '../test/support/harness.js';
import { describeAckUnderLoad, measureAckUnderLoad } from './ack-under-load.js';
import { describeAnnouncementThroughput, measureAnnouncementThroughput } from './announcement-throughput.js';
import { type BurstResult, describeBurst, measureBurst } from './burst.js';
import { countCalls } from './call-counts.js';
import { createDeliveryGuids, deliveryGuidKind } from './delivery-guids.js';
import { startBenchWorld } from './deploybot-env.js';
import { createBenchSchema } from './postgres-schema.js';
import { slashRequests, webhookRequests } from './requests.js';
import { startAnchor } from './servers.js';
import { type Contender, formatTable, measureSideBySide, summarize } from './side-by-side.js';

// BENCH_QUICK=1: a short smoke run of the whole bench, figures not worth reading.
const SHAPE = process.env.BENCH_QUICK
  ? { connections: 20, warmupSeconds: 1, seconds: 1, rounds: 1 }
  : { connections: 20, warmupSeconds: 1, seconds: 5, rounds: Number(process.env.BENCH_ROUNDS ?? 2) };
const BURST = process.env.BENCH_QUICK
  ? { deliveries: 2_000, quietMs: 5_000 }
  : { deliveries: 20_000, quietMs: 60_000 };

// BENCH_ONLY=burst,replicas,… runs only those parts (the rest are left out of results.json too).
const SECTIONS = ['ingest', 'ack', 'startup', 'burst', 'replicas', 'ack-load', 'announce', 'calls'] as const;
type Section = (typeof SECTIONS)[number];
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const unknown = only?.filter((s) => !(SECTIONS as readonly string[]).includes(s)) ?? [];
if (unknown.length > 0)
  throw new Error(`BENCH_ONLY: unknown ${unknown.join(', ')}; known: ${SECTIONS.join(', ')}`);
const runs = (section: Section) => only === undefined || only.includes(section);
const deliveryIds = deliveryGuidKind(process.env.BENCH_DELIVERY_IDS);

async function main(): Promise<void> {
  const world = await startBenchWorld();
  // Each server gets ids of its own million, so no run's deliveries collide with another's.
  let round = 0;
  const webhooks = () => {
    round += 1;
    return webhookRequests(SECRETS.githubWebhookSecret, round * 1_000_000, createDeliveryGuids(deliveryIds));
  };
  const anchorEnv = {
    GITHUB_WEBHOOK_SECRET: SECRETS.githubWebhookSecret,
    SLACK_SIGNING_SECRET: SECRETS.slackSigningSecret,
  };
  const slash = (text: string) => () =>
    slashRequests(SECRETS.slackSigningSecret, text, world.slackResponseUrl);
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine,
    shape: SHAPE,
    deliveryIds,
  };
  const report: string[] = [];
  try {
    if (runs('ingest')) {
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
      const rows = summarize(await measureSideBySide(ingest, SHAPE));
      results.webhookIngest = rows;
      report.push(
        `Webhook ingest (signed deployment_status, persisted then acked; ${deliveryIds === 'time' ? "GitHub's time-based" : 'random'} delivery ids):\n`,
        formatTable(rows),
        '',
      );
    }

    if (runs('ack')) {
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
      const rows = summarize(await measureSideBySide(acks, SHAPE));
      results.slashCommandAck = rows;
      report.push('Slash command ack:\n', formatTable(rows), '');
    }

    if (runs('startup')) {
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
      results.readyMs = Math.min(...readyMs);
      results.idleRssMb = idleRssMb;
      report.push(
        `Ready after start: ${Math.min(...readyMs).toFixed(0)} ms · idle RSS ${idleRssMb.toFixed(0)} MB`,
      );
    }

    if (runs('burst')) {
      process.stderr.write(`burst of ${BURST.deliveries} webhooks, one process\n`);
      const bot = await world.startDeploybot('deploybot');
      let burst: BurstResult;
      try {
        burst = await measureBurst([bot], webhooks(), { ...BURST, drained: world.posted });
      } finally {
        await bot.stop();
      }
      results.burst = burst;
      report.push(describeBurst(burst));
    }

    if (runs('replicas')) {
      process.stderr.write(`burst of ${BURST.deliveries} webhooks, two processes on PostgreSQL\n`);
      const schema = await createBenchSchema();
      if (schema === undefined) {
        results.burstTwoProcesses = { skipped: 'no PostgreSQL at 127.0.0.1:5432' };
        report.push('SKIPPED the two-process burst: no PostgreSQL at 127.0.0.1:5432');
      } else {
        try {
          // One after the other: the first migrates the schema, the second finds it done.
          const first = await world.startDeploybot('deploybot pg 1', { databaseUrl: schema.url });
          const second = await world
            .startDeploybot('deploybot pg 2', { databaseUrl: schema.url })
            .catch(async (error: unknown) => {
              await first.stop();
              throw error;
            });
          try {
            const burst = await measureBurst([first, second], webhooks(), {
              ...BURST,
              drained: world.posted,
            });
            results.burstTwoProcesses = burst;
            report.push(describeBurst(burst));
          } finally {
            await Promise.all([first.stop(), second.stop()]);
          }
        } finally {
          await schema.drop();
        }
      }
    }

    if (runs('ack-load')) {
      process.stderr.write('slash command ack while 50 deploys run and GitHub is slow\n');
      const ackUnderLoad = await measureAckUnderLoad(SHAPE);
      results.ackUnderLoad = ackUnderLoad;
      report.push(describeAckUnderLoad(ackUnderLoad));
    }

    if (runs('announce')) {
      process.stderr.write('announcement throughput\n');
      const announcements = await measureAnnouncementThroughput();
      results.announcements = announcements;
      report.push(describeAnnouncementThroughput(announcements));
    }

    if (runs('calls')) {
      process.stderr.write('calls per flow\n');
      const calls = await countCalls();
      results.calls = calls;
      report.push(
        '',
        'Calls per flow:',
        ...calls.map((c) => `  ${c.what}: ${c.github} GitHub, ${c.slack} Slack`),
      );
    }

    await writeFile(new URL('results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`deploybot bench, ${results.date}, ${machine}\n`);
    console.log(report.join('\n'));
  } finally {
    await world.close();
  }
}

await main();

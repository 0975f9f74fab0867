// A deploy script for the multi-process test: appends a JSON line to $RUNS_FILE when it starts
// and another when it ends, naming the deployment, its lane (repository+environment) and the
// deploybot process that started it (its parent), then sleeps $SLEEP_MS in between.
// Lines under PIPE_BUF are appended atomically, so several processes can share the file.
import { appendFileSync } from 'node:fs';

const file = process.env.RUNS_FILE;
const sleepMs = Number(process.env.SLEEP_MS ?? 100);
const base = {
  deployment: Number(process.env.DEPLOY_ID),
  lane: `${process.env.DEPLOY_REPO}/${process.env.DEPLOY_ENVIRONMENT}`,
  pid: process.pid,
  bot: process.ppid,
};
appendFileSync(file, `${JSON.stringify({ ...base, event: 'start', at: Date.now() })}\n`);
await new Promise((resolve) => setTimeout(resolve, sleepMs));
appendFileSync(file, `${JSON.stringify({ ...base, event: 'end', at: Date.now() })}\n`);
console.log(`deployed ${base.lane} (${base.deployment})`);

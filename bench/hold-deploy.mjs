// A deploy script for the ack-under-load bench: says it started (started-$DEPLOY_ID in
// $GATE_DIR), then holds until $GATE_DIR/release exists, or $HOLD_MAX_MS passed so nothing outlives the bench.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.GATE_DIR;
const until = Date.now() + Number(process.env.HOLD_MAX_MS ?? 120_000);
writeFileSync(join(dir, `started-${process.env.DEPLOY_ID}`), String(process.pid));
while (!existsSync(join(dir, 'release')) && Date.now() < until) {
  await new Promise((resolve) => setTimeout(resolve, 100));
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort, spawnBot } from '../support/child-process.js';
import { eventually } from './playground-rig.js';

describe('npm run playground (node dist/main.js playground)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploybot-playground-main-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('needs no settings: prints the page on PORT, serves it, and stops on SIGTERM', async () => {
    const port = await freePort();
    const bot = spawnBot({ PORT: String(port) }, dir, ['playground']);
    const pageUrl = `http://localhost:${port}/playground`;
    await eventually('the page address', async () => (bot.output().includes(pageUrl) ? true : undefined));
    expect((await fetch(pageUrl)).status).toBe(200);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  });

  it('names each problem of the --config file and exits 1', async () => {
    await writeFile(join(dir, 'mine.yml'), 'slack:\n  channel: "#deploys"\nrepos: {}\n');
    const broken = spawnBot({}, dir, ['playground', '--config', 'mine.yml']);
    expect(await broken.exited).toBe(1);
    expect(broken.output()).toContain('slack.channel');
    const missing = spawnBot({}, dir, ['playground', '--config=absent.yml']);
    expect(await missing.exited).toBe(1);
    expect(missing.output()).toContain('absent.yml');
  });
});

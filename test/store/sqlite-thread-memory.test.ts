import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const source = (path: string) => JSON.stringify(fileURLToPath(new URL(`../../src/${path}`, import.meta.url)));

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/**
 * In a process of its own, whose RSS is the store's alone: ~40 MB written through the SQLite
 * thread, then RSS read at once and again after a quiet second, freed memory given back both times.
 */
async function writeThenPause(dir: string): Promise<{ readonly full: number; readonly quiet: number }> {
  const path = join(dir, 'store.sqlite');
  const code = `import { openDatabase } from ${source('store/database.ts')};
import { createTrimMemory, GLIBC_MALLOC_TRIM } from ${source('trim-memory.ts')};
const rss = () => process.memoryUsage().rss / 1048576;
const db = await openDatabase({ kind: 'sqlite', path: ${JSON.stringify(path)} });
for (let i = 0; i < 300; i++) {
  const rows = Array.from({ length: 500 }, (_, j) => ({ user_id: String(i * 500 + j).padStart(100, 'U'), opened_at: j }));
  await db.insertInto('home_viewers').values(rows).execute();
}
const trim = createTrimMemory(GLIBC_MALLOC_TRIM);
trim();
const full = rss();
await new Promise((resolve) => setTimeout(resolve, 1000));
trim();
process.stdout.write(JSON.stringify({ full, quiet: rss() }));
await db.destroy();`;
  // A file rather than -e: --input-type=module would pass to the SQLite thread's worker too.
  const script = join(dir, 'write-then-pause.mts');
  await writeFile(script, code);
  const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout) as { full: number; quiet: number };
}

describe("the SQLite thread's memory", () => {
  it('gives the page cache a burst of writes filled back once the writes pause', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'deploybot-thread-memory-'));
    dirs.push(dir);
    const { full, quiet } = await writeThenPause(dir);
    // better-sqlite3's cache is 16 MB a connection; what the burst filled of it is freed.
    expect(full - quiet).toBeGreaterThan(8);
  });
});

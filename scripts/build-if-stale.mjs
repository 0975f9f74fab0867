#!/usr/bin/env node
// `npm start` runs this first: it builds dist/ only when it is missing or older than what it is built
// from, so a start after an unchanged checkout skips the compiler's few seconds.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Written after each build; its mtime is when dist/ was last built from the sources. */
export const STAMP = join('dist', '.build-stamp');
/** What dist/ is built from: a change to any of them makes it stale. */
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/** The newest modification time (ms) of a file, or of any file under a directory; 0 if absent. */
function newestMtime(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Whether dist/ under `root` must be built: no stamp, or an input changed after it. */
export function needsBuild(root) {
  const built = newestMtime(join(root, STAMP));
  if (built === 0) return true;
  return INPUTS.some((input) => newestMtime(join(root, input)) > built);
}

function main() {
  const root = resolve(fileURLToPath(import.meta.url), '..', '..');
  // `npm run build` ends with --stamp: whichever way dist/ was built, it is known to be fresh.
  if (process.argv.includes('--stamp')) {
    writeFileSync(join(root, STAMP), `${new Date().toISOString()}\n`);
    return;
  }
  if (!needsBuild(root)) return;
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

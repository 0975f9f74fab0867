import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTrimMemory, GLIBC_MALLOC_TRIM } from '../src/trim-memory.js';

const MODULE = fileURLToPath(new URL('../src/trim-memory.ts', import.meta.url));

/** Runs a trim in a process of its own and answers what it wrote to stderr, where glibc reports. */
function trimInChild(library: string, symbol: string): string {
  const code = `import { createTrimMemory } from ${JSON.stringify(MODULE)};
const trim = createTrimMemory({ library: ${JSON.stringify(library)}, symbol: ${JSON.stringify(symbol)} });
trim(); trim();
process.stderr.write('trimmed\\n');`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  expect(child.status).toBe(0);
  return child.stderr;
}

const glibc = Boolean(
  (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header
    ?.glibcVersionRuntime,
);

describe('giving freed memory back to the operating system', () => {
  it.runIf(glibc)("calls the library's function by name, once a trim", () => {
    // malloc_stats(3) is malloc_trim's neighbour in glibc, and says on stderr that it ran.
    const stderr = trimInChild('libc.so.6', 'malloc_stats');
    expect(stderr.match(/^Arena 0:$/gm)).toHaveLength(2);
    expect(stderr).toMatch(/trimmed\n$/);
  });

  it('trims with glibc, and changes nothing and throws nothing where the library or function is missing', () => {
    expect(trimInChild(GLIBC_MALLOC_TRIM.library, GLIBC_MALLOC_TRIM.symbol)).toBe('trimmed\n');
    expect(trimInChild('libdeploybot-missing.so.1', 'malloc_trim')).toBe('trimmed\n');
    expect(trimInChild('libc.so.6', 'deploybot_missing_function')).toBe('trimmed\n');
  });

  it('runs in this process too, as often as asked', () => {
    const trim = createTrimMemory(GLIBC_MALLOC_TRIM);
    for (let i = 0; i < 5; i++) expect(trim()).toBeUndefined();
  });
});

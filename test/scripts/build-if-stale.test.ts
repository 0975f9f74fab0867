import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { needsBuild, STAMP } from '../../scripts/build-if-stale.mjs';

describe('build-if-stale', () => {
  let root: string;
  const at = (seconds: number) => new Date(1_700_000_000_000 + seconds * 1000);

  async function file(path: string, seconds: number): Promise<void> {
    const full = join(root, path);
    await mkdir(join(full, '..'), { recursive: true });
    await writeFile(full, 'x');
    await utimes(full, at(seconds), at(seconds));
  }

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'deploybot-build-'));
    await file('src/core/a.ts', 10);
    await file('tsconfig.json', 10);
    await utimes(join(root, 'src/core'), at(10), at(10));
    await utimes(join(root, 'src'), at(10), at(10));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const cases: Array<[string, Array<[string, number]>, boolean]> = [
    ['never built', [], true],
    ['built after every input', [[STAMP, 20]], false],
    [
      'a source changed since',
      [
        [STAMP, 20],
        ['src/core/a.ts', 30],
      ],
      true,
    ],
    [
      'a new source file since',
      [
        [STAMP, 20],
        ['src/core/b.ts', 30],
      ],
      true,
    ],
    [
      'the lockfile changed since',
      [
        [STAMP, 20],
        ['package-lock.json', 30],
      ],
      true,
    ],
    [
      'an unrelated file changed',
      [
        [STAMP, 20],
        ['README.md', 30],
      ],
      false,
    ],
  ];
  it.each(cases)('%s', async (_name, files, expected) => {
    for (const [path, seconds] of files) await file(path, seconds);
    // A new file also touches its directory; keep the directories' times out of the way when not meant.
    if (!files.some(([path]) => path === 'src/core/b.ts')) {
      await utimes(join(root, 'src/core'), at(10), at(10));
      await utimes(join(root, 'src'), at(10), at(10));
    }
    expect(needsBuild(root)).toBe(expected);
  });
});

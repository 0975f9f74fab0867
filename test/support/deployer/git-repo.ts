import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestRepo {
  /** A bare repository, usable as clone_url. */
  readonly bareDir: string;
  /** The sha of each commit, in the order given. */
  readonly shas: readonly string[];
  cleanup(): Promise<void>;
}

// Fixed identities and dates: the same files always give the same shas.
const GIT_ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: tmpdir(),
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
};

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, env: GIT_ENV });
  return stdout.trim();
}

/**
 * A real bare git repository with one commit per entry of `commits` (each a map of path to
 * content, added on top of the previous commit), pushed to `main`.
 */
export async function createTestRepo(
  commits: ReadonlyArray<Readonly<Record<string, string>>>,
): Promise<TestRepo> {
  const root = await mkdtemp(join(tmpdir(), 'deploybot-repo-'));
  const bareDir = join(root, 'web.git');
  const work = join(root, 'work');
  await mkdir(work);
  await git(root, 'init', '--quiet', '--bare', bareDir);
  await git(work, 'init', '--quiet', '--initial-branch=main');
  const shas: string[] = [];
  for (const [index, files] of commits.entries()) {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(work, path)), { recursive: true });
      await writeFile(join(work, path), content);
    }
    await git(work, 'add', '--all');
    await git(work, 'commit', '--quiet', '-m', `commit ${index + 1}`);
    shas.push(await git(work, 'rev-parse', 'HEAD'));
  }
  await git(work, 'push', '--quiet', bareDir, 'HEAD:refs/heads/main');
  return { bareDir, shas, cleanup: () => rm(root, { recursive: true, force: true }) };
}

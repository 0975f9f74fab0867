import { execFile } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LocalCommit {
  readonly sha: string;
  readonly message: string;
  readonly author: string;
}

/** The playground's git repository: a bare one deploybot clones, and the working copy commits are made in. */
export interface LocalRepository {
  /** A bare repository, the clone_url of every repository the playground plays. */
  readonly bareDir: string;
  /** Every commit, oldest first. */
  readonly commits: readonly LocalCommit[];
  /** The tip of each branch pushed to the bare repository. */
  head(branch: string): string | undefined;
  /** Commits on top of `branch` (or of main when the branch is new), changing CHANGELOG.md, and pushes it. */
  commit(branch: string, message: string, author: string): Promise<LocalCommit>;
}

// What the deployer runs for every deployment: a few steps, slow enough to watch the status move.
export const DEPLOY_SCRIPT = `#!/bin/sh
# The playground's deploy script. deploybot runs it in a fresh checkout of the commit being deployed.
set -e
echo "Deploying $DEPLOY_REPO@$DEPLOY_SHA to $DEPLOY_ENVIRONMENT for $DEPLOY_USER"
for step in build upload restart; do
  echo "$step..."
  sleep "\${STEP_SECONDS:-1}"
done
echo "Deployed $(cat VERSION) to $DEPLOY_ENVIRONMENT"
`;

const INITIAL_COMMITS: ReadonlyArray<{ files: Record<string, string>; message: string; author: string }> = [
  {
    files: { 'README.md': '# web\n\nThe playground application.\n', VERSION: '1.0.0\n' },
    message: 'Start the web application',
    author: 'octocat',
  },
  {
    files: { 'script/deploy': DEPLOY_SCRIPT },
    message: 'Add script/deploy',
    author: 'alice',
  },
  {
    files: { VERSION: '1.1.0\n', 'CHANGELOG.md': '# Changelog\n\n- 1.1.0: a faster home page\n' },
    message: 'Make the home page faster',
    author: 'bob',
  },
];

/** Creates the repository in `root` (an empty directory) with a few commits on main, script/deploy among them. */
export async function createLocalRepository(root: string, path: string): Promise<LocalRepository> {
  const bareDir = join(root, 'repository.git');
  const work = join(root, 'work');
  await mkdir(work, { recursive: true });
  // Only PATH and HOME of the host, and fixed identities: the user's git config plays no part.
  const git = async (cwd: string, args: string[], author = 'octocat') => {
    const env = {
      PATH: path,
      HOME: root,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: author,
      GIT_AUTHOR_EMAIL: `${author}@users.noreply.github.com`,
      GIT_COMMITTER_NAME: author,
      GIT_COMMITTER_EMAIL: `${author}@users.noreply.github.com`,
    };
    const { stdout } = await run('git', args, { cwd, env });
    return stdout.trim();
  };
  await git(root, ['init', '--quiet', '--bare', bareDir]);
  await git(work, ['init', '--quiet', '--initial-branch=main']);

  const commits: LocalCommit[] = [];
  const heads = new Map<string, string>();
  const record = async (branch: string, message: string, author: string): Promise<LocalCommit> => {
    await git(work, ['add', '--all']);
    await git(work, ['commit', '--quiet', '--allow-empty', '-m', message], author);
    const sha = await git(work, ['rev-parse', 'HEAD']);
    await git(work, ['push', '--quiet', '--force', bareDir, `HEAD:refs/heads/${branch}`]);
    const commit = { sha, message, author };
    commits.push(commit);
    heads.set(branch, sha);
    return commit;
  };

  for (const initial of INITIAL_COMMITS) {
    for (const [file, content] of Object.entries(initial.files)) {
      await mkdir(dirname(join(work, file)), { recursive: true });
      await writeFile(join(work, file), content);
    }
    if (initial.files['script/deploy'] !== undefined) await chmod(join(work, 'script/deploy'), 0o755);
    await record('main', initial.message, initial.author);
  }

  // One commit at a time: the working copy is shared by every branch.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    bareDir,
    commits,
    head: (branch) => heads.get(branch),
    commit(branch, message, author) {
      const next = queue.then(async () => {
        const base = heads.get(branch) ?? heads.get('main');
        if (base) await git(work, ['checkout', '--quiet', '--detach', base]);
        await writeFile(join(work, 'CHANGELOG.md'), `- ${message}\n`, { flag: 'a' });
        return record(branch, message, author);
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

import { formatGitHubTime } from './payload-basics.js';

export type CommitStatusState = 'pending' | 'success' | 'failure' | 'error';
export type CheckRunStatus = 'queued' | 'in_progress' | 'completed';
export type CheckRunConclusion =
  | 'success'
  | 'failure'
  | 'neutral'
  | 'cancelled'
  | 'timed_out'
  | 'skipped'
  | 'action_required';

export interface CommitRecord {
  sha: string;
  message: string;
  author: string;
  date: string;
}

export interface CommitStatusRecord {
  id: number;
  sha: string;
  context: string;
  state: CommitStatusState;
  created_at: string;
}

export interface CheckRunRecord {
  id: number;
  sha: string;
  name: string;
  status: CheckRunStatus;
  conclusion: CheckRunConclusion | null;
  started_at: string;
  completed_at: string | null;
}

/** `true` means "behind, merges cleanly"; `'conflict'` means the merge GitHub tries fails. */
export type BehindState = boolean | 'conflict';

export interface RepositoryRecord {
  fullName: string;
  id: number;
  defaultBranch: string;
  private: boolean;
  refs: Map<string, string>;
  behind: Map<string, BehindState>;
  /** Linear history in insertion order; compare slices it. */
  commits: CommitRecord[];
  knownShas: Set<string>;
  statuses: CommitStatusRecord[];
  checkRuns: CheckRunRecord[];
}

/** One required-context verdict, in the shape GitHub lists inside a 409. */
export interface ContextVerdict {
  context: string;
  state: 'success' | 'pending' | 'failure' | 'error' | 'missing';
}

const FULL_SHA = /^[0-9a-f]{40}$/i;
const SHORT_SHA = /^[0-9a-f]{7,39}$/i;

/** GitHub accepts `main`, `heads/main` and `refs/heads/main` alike. */
export function normalizeRef(ref: string): string {
  return ref.replace(/^refs\//, '').replace(/^(heads|tags)\//, '');
}

export function resolveRef(repository: RepositoryRecord, ref: string): string | undefined {
  const named = repository.refs.get(normalizeRef(ref));
  if (named) return named;
  const lower = ref.toLowerCase();
  if (FULL_SHA.test(ref)) return repository.knownShas.has(lower) ? lower : undefined;
  if (!SHORT_SHA.test(ref)) return undefined;
  // Abbreviated shas resolve only when unambiguous, as with git.
  const matches = [...repository.knownShas].filter((sha) => sha.startsWith(lower));
  return matches.length === 1 ? matches[0] : undefined;
}

export function isBranch(repository: RepositoryRecord, ref: string): boolean {
  return repository.refs.has(normalizeRef(ref)) && !FULL_SHA.test(ref);
}

export function findCommit(repository: RepositoryRecord, sha: string): CommitRecord {
  return (
    repository.commits.find((commit) => commit.sha === sha) ?? {
      sha,
      message: `Commit ${sha.slice(0, 7)}`,
      author: 'octocat',
      date: formatGitHubTime(),
    }
  );
}

/** The newest status per context: what GitHub's combined status and deployment checks look at. */
export function latestStatuses(repository: RepositoryRecord, sha: string): CommitStatusRecord[] {
  const byContext = new Map<string, CommitStatusRecord>();
  for (const status of repository.statuses) {
    if (status.sha === sha) byContext.set(status.context, status);
  }
  return [...byContext.values()];
}

export function latestCheckRuns(repository: RepositoryRecord, sha: string): CheckRunRecord[] {
  const byName = new Map<string, CheckRunRecord>();
  for (const run of repository.checkRuns) {
    if (run.sha === sha) byName.set(run.name, run);
  }
  return [...byName.values()];
}

function judgeCheckRun(run: CheckRunRecord): ContextVerdict['state'] {
  if (run.status !== 'completed') return 'pending';
  const passing =
    run.conclusion === 'success' || run.conclusion === 'neutral' || run.conclusion === 'skipped';
  return passing ? 'success' : 'failure';
}

/**
 * The contexts that block a deployment of `sha`. `required` undefined means "every context on
 * the commit", as GitHub does when `required_contexts` is omitted.
 */
export function findFailingContexts(
  repository: RepositoryRecord,
  sha: string,
  required: readonly string[] | undefined,
): ContextVerdict[] {
  const verdicts = new Map<string, ContextVerdict['state']>();
  for (const status of latestStatuses(repository, sha)) verdicts.set(status.context, status.state);
  for (const run of latestCheckRuns(repository, sha)) verdicts.set(run.name, judgeCheckRun(run));
  const contexts = required ?? [...verdicts.keys()];
  return contexts
    .map((context) => ({ context, state: verdicts.get(context) ?? ('missing' as const) }))
    .filter((verdict) => verdict.state !== 'success');
}

export function combineStatusStates(statuses: readonly CommitStatusRecord[]): CommitStatusState {
  if (statuses.some((status) => status.state === 'failure' || status.state === 'error')) return 'failure';
  if (statuses.length === 0 || statuses.some((status) => status.state === 'pending')) return 'pending';
  return 'success';
}

export type CompareResult =
  | { found: false }
  | {
      found: true;
      status: 'ahead' | 'behind' | 'identical';
      aheadBy: number;
      behindBy: number;
      commits: CommitRecord[];
    };

export function compareCommits(
  repository: RepositoryRecord,
  baseSha: string,
  headSha: string,
): CompareResult {
  const baseIndex = repository.commits.findIndex((commit) => commit.sha === baseSha);
  const headIndex = repository.commits.findIndex((commit) => commit.sha === headSha);
  if (baseIndex < 0 || headIndex < 0) return { found: false };
  if (headIndex === baseIndex)
    return { found: true, status: 'identical', aheadBy: 0, behindBy: 0, commits: [] };
  if (headIndex < baseIndex) {
    return { found: true, status: 'behind', aheadBy: 0, behindBy: baseIndex - headIndex, commits: [] };
  }
  const commits = repository.commits.slice(baseIndex + 1, headIndex + 1);
  return { found: true, status: 'ahead', aheadBy: commits.length, behindBy: 0, commits };
}

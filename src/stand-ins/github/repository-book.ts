import { deriveId, formatGitHubTime } from './payload-basics.js';
import {
  type CheckRunConclusion,
  type CheckRunStatus,
  type CommitStatusState,
  normalizeRef,
  type RepositoryRecord,
  resolveRef,
} from './repository-state.js';
import type { AddCommitInput } from './stand-in-types.js';

/** The repositories a test set up, and what it put in them: refs, commits, statuses, check runs. */
export class RepositoryBook {
  private readonly repositories = new Map<string, RepositoryRecord>();
  private nextStatusContextId = 9000;

  find(fullName: string): RepositoryRecord | undefined {
    return this.repositories.get(fullName.toLowerCase());
  }

  require(fullName: string): RepositoryRecord {
    const repository = this.repositories.get(fullName.toLowerCase());
    if (!repository) throw new Error(`GitHub stand-in: call addRepository('${fullName}') first`);
    return repository;
  }

  add(fullName: string, options: { defaultBranch?: string; private?: boolean } = {}): void {
    const existing = this.repositories.get(fullName.toLowerCase());
    if (existing) {
      existing.defaultBranch = options.defaultBranch ?? existing.defaultBranch;
      existing.private = options.private ?? existing.private;
      return;
    }
    this.repositories.set(fullName.toLowerCase(), {
      fullName,
      id: deriveId(`repo:${fullName.toLowerCase()}`),
      defaultBranch: options.defaultBranch ?? 'main',
      private: options.private ?? false,
      refs: new Map(),
      behind: new Map(),
      commits: [],
      knownShas: new Set(),
      statuses: [],
      checkRuns: [],
    });
  }

  setRef(fullName: string, ref: string, sha: string): void {
    const repository = this.require(fullName);
    repository.refs.set(normalizeRef(ref), sha.toLowerCase());
    repository.knownShas.add(sha.toLowerCase());
  }

  setBehind(fullName: string, ref: string, behind: boolean | 'conflict'): void {
    this.require(fullName).behind.set(normalizeRef(ref), behind);
  }

  setCommitStatus(fullName: string, sha: string, context: string, state: CommitStatusState): void {
    const repository = this.require(fullName);
    const resolved = resolveRef(repository, sha) ?? sha.toLowerCase();
    const id = this.nextStatusContextId++;
    repository.statuses.push({ id, sha: resolved, context, state, created_at: formatGitHubTime() });
  }

  setCheckRun(
    fullName: string,
    sha: string,
    name: string,
    status: CheckRunStatus,
    conclusion?: CheckRunConclusion,
  ): void {
    const repository = this.require(fullName);
    const completed = status === 'completed';
    const now = formatGitHubTime();
    repository.checkRuns.push({
      id: this.nextStatusContextId++,
      sha: resolveRef(repository, sha) ?? sha.toLowerCase(),
      name,
      status,
      conclusion: completed ? (conclusion ?? 'success') : null,
      started_at: now,
      completed_at: completed ? now : null,
    });
  }

  addCommit(fullName: string, sha: string, commit: AddCommitInput): void {
    const repository = this.require(fullName);
    const record = { sha: sha.toLowerCase(), ...commit, date: commit.date ?? formatGitHubTime() };
    const index = repository.commits.findIndex((existing) => existing.sha === record.sha);
    if (index >= 0) repository.commits[index] = record;
    else repository.commits.push(record);
    repository.knownShas.add(record.sha);
  }
}

import { DeploybotError, type ErrorCode } from '../../../src/core/errors.js';
import type { CheckContext, DeploymentRequest } from '../../../src/core/merge-deploy.js';
import { readDeployUser } from '../../../src/core/payload.js';
import type {
  CreatedDeployment,
  DeploymentStatusRequest,
  GitHubPort,
  RepoRef,
} from '../../../src/core/ports/github.js';

interface MemoryCommit {
  readonly sha: string;
  readonly title: string;
  readonly author: string;
}

interface MemoryRepo {
  defaultBranch: string;
  /** Branches and tags → sha. */
  readonly refs: Map<string, string>;
  /** Oldest first: compare walks this list. */
  readonly commits: MemoryCommit[];
  /** sha → commit status context → state. */
  readonly checks: Map<string, Map<string, string>>;
}

export interface MemoryDeployment extends CreatedDeployment {
  readonly repository: string;
  readonly request: DeploymentRequest | undefined;
  readonly statuses: Array<DeploymentStatusRequest & { readonly id: number; readonly at: number }>;
}

export interface MemoryGitHub extends GitHubPort {
  /** Every call the flows made, by method name, in order. */
  readonly calls: Array<{ readonly method: keyof GitHubPort; readonly args: readonly unknown[] }>;
  readonly deployments: MemoryDeployment[];
  addRepo(repository: string, options?: { defaultBranch?: string }): void;
  /** A new commit on `branch` (moving it), returning its sha. */
  commit(repository: string, branch: string, title?: string, author?: string): string;
  setCheck(repository: string, sha: string, context: string, state: string): void;
  /** A deployment created by someone else (another tool, the GitHub UI). */
  addDeployment(repository: string, fields: Omit<CreatedDeployment, 'id' | 'createdAt'>): MemoryDeployment;
  /** The next call of `method` fails with this code. */
  failNext(method: keyof GitHubPort, code: ErrorCode, details?: Record<string, unknown>): void;
}

const PASSING = new Set(['success']);

/**
 * GitHub's deployments in memory, for use-case tests. It keeps GitHub's rules that the
 * flows depend on: refs resolve or give `github_no_such_ref`, required contexts give
 * `github_checks_failed` with the contexts as GitHub lists them, deployments and statuses
 * come back newest first.
 */
export function createMemoryGitHub(options: { readonly now: () => number }): MemoryGitHub {
  const repos = new Map<string, MemoryRepo>();
  const deployments: MemoryDeployment[] = [];
  const calls: MemoryGitHub['calls'] = [];
  const failures = new Map<keyof GitHubPort, DeploybotError>();
  let nextId = 1000;
  let nextSha = 1;

  const key = (repository: string) => repository.toLowerCase();
  const nameOf = (r: RepoRef) => `${r.owner}/${r.repo}`;
  function repoOf(repository: string): MemoryRepo {
    const repo = repos.get(key(repository));
    if (!repo) throw new DeploybotError('github_not_found', 'Not Found', { details: { repository } });
    return repo;
  }
  function enter(method: keyof GitHubPort, args: readonly unknown[]): void {
    calls.push({ method, args });
    const failure = failures.get(method);
    if (failure) {
      failures.delete(method);
      throw failure;
    }
  }
  function resolve(repository: string, ref: string): string {
    const repo = repoOf(repository);
    const sha =
      repo.refs.get(ref.replace(/^refs\/(heads|tags)\//, '')) ?? repo.commits.find((c) => c.sha === ref)?.sha;
    if (!sha) {
      throw new DeploybotError('github_no_such_ref', `No commit found for SHA: ${ref}`, {
        details: { repository, ref },
      });
    }
    return sha;
  }
  function failingContexts(repository: string, sha: string, required: readonly string[] | undefined) {
    const checks = repoOf(repository).checks.get(sha) ?? new Map<string, string>();
    const wanted = required ?? [...checks.keys()];
    return wanted
      .map((context): CheckContext => ({ context, state: checks.get(context) ?? 'missing' }))
      .filter((c) => !PASSING.has(c.state));
  }
  const record = (d: MemoryDeployment) => ({
    id: d.id,
    sha: d.sha,
    ref: d.ref,
    environment: d.environment,
    deployer: readDeployUser(d.payload) ?? d.creator ?? 'someone',
    createdAt: Date.parse(d.createdAt),
  });

  return {
    calls,
    deployments,
    addRepo(repository, opts = {}) {
      const branch = opts.defaultBranch ?? 'main';
      repos.set(key(repository), { defaultBranch: branch, refs: new Map(), commits: [], checks: new Map() });
      this.commit(repository, branch, 'Initial commit');
    },
    commit(repository, branch, title = `Commit ${nextSha}`, author = 'octocat') {
      const repo = repoOf(repository);
      const sha = (nextSha++).toString(16).padStart(40, '0');
      repo.commits.push({ sha, title, author });
      repo.refs.set(branch, sha);
      return sha;
    },
    setCheck(repository, sha, context, state) {
      const checks = repoOf(repository).checks;
      const forSha = checks.get(sha) ?? new Map<string, string>();
      forSha.set(context, state);
      checks.set(sha, forSha);
    },
    addDeployment(repository, fields) {
      const d: MemoryDeployment = {
        ...fields,
        id: nextId++,
        createdAt: new Date(options.now()).toISOString(),
        repository,
        request: undefined,
        statuses: [],
      };
      deployments.push(d);
      return d;
    },
    failNext(method, code, details = {}) {
      failures.set(method, new DeploybotError(code, `memory GitHub refuses ${method}`, { details }));
    },

    async getDefaultBranch(r) {
      enter('getDefaultBranch', [r]);
      return repoOf(nameOf(r)).defaultBranch;
    },
    async resolveCommit(r, ref) {
      enter('resolveCommit', [r, ref]);
      return resolve(nameOf(r), ref);
    },
    async findDeployment(r, sha, environment) {
      enter('findDeployment', [r, sha, environment]);
      return [...deployments]
        .reverse()
        .find(
          (d) =>
            key(d.repository) === key(nameOf(r)) &&
            d.sha === sha &&
            d.environment === environment &&
            d.task === 'deploy',
        );
    },
    async createDeployment(request) {
      enter('createDeployment', [request]);
      const repository = `${request.owner}/${request.repo}`;
      const sha = resolve(repository, request.ref);
      const failing = failingContexts(repository, sha, request.required_contexts);
      if (failing.length > 0) {
        throw new DeploybotError('github_checks_failed', 'Conflict: Commit status checks failed', {
          details: { repository, ref: request.ref, status: 409, contexts: failing },
        });
      }
      const d: MemoryDeployment = {
        id: nextId++,
        sha,
        ref: request.ref,
        environment: request.environment,
        createdAt: new Date(options.now()).toISOString(),
        task: request.task,
        payload: structuredClone(request.payload),
        creator: 'deploybot',
        repository,
        request: structuredClone(request),
        statuses: [],
      };
      deployments.push(d);
      return d;
    },
    async listDeployments(r, opts) {
      enter('listDeployments', [r, opts]);
      return [...deployments]
        .reverse()
        .filter((d) => key(d.repository) === key(nameOf(r)))
        .filter((d) => opts.environment === undefined || d.environment === opts.environment)
        .slice(0, opts.limit)
        .map(record);
    },
    async listRecentDeployments(r, opts) {
      enter('listRecentDeployments', [r, opts]);
      return [...deployments]
        .reverse()
        .filter((d) => key(d.repository) === key(nameOf(r)) && d.environment === opts.environment)
        .filter((d) => Date.parse(d.createdAt) >= opts.since)
        .map(({ repository: _r, request: _q, statuses: _s, ...d }) => structuredClone(d));
    },
    async getLatestDeploymentStatus(r, id) {
      enter('getLatestDeploymentStatus', [r, id]);
      const d = deployments.find((x) => x.id === id && key(x.repository) === key(nameOf(r)));
      if (!d)
        throw new DeploybotError('github_not_found', 'Not Found', { details: { repository: nameOf(r) } });
      const latest = d.statuses.at(-1);
      const logUrl = [...d.statuses].reverse().find((s) => s.logUrl !== undefined)?.logUrl;
      return (
        latest && {
          id: latest.id,
          state: latest.state,
          createdAt: new Date(latest.at).toISOString(),
          description: latest.description,
          ...(logUrl === undefined ? {} : { logUrl }),
          ...(latest.environmentUrl === undefined ? {} : { environmentUrl: latest.environmentUrl }),
        }
      );
    },
    async listDeploymentStates(r, id) {
      enter('listDeploymentStates', [r, id]);
      const d = deployments.find((x) => x.id === id && key(x.repository) === key(nameOf(r)));
      if (!d)
        throw new DeploybotError('github_not_found', 'Not Found', { details: { repository: nameOf(r) } });
      return d.statuses.map((s) => s.state).reverse();
    },
    async getDeployment(repository, id) {
      enter('getDeployment', [repository, id]);
      const d = deployments.find((x) => x.id === id && key(x.repository) === key(repository));
      if (!d) throw new DeploybotError('github_not_found', 'Not Found', { details: { repository } });
      return {
        id,
        sha: d.sha,
        ref: d.ref,
        environment: d.environment,
        task: d.task,
        payload: d.payload,
        creator: d.creator,
      };
    },
    async compareCommits(r, base, head) {
      enter('compareCommits', [r, base, head]);
      const commits = repoOf(nameOf(r)).commits;
      const from = commits.findIndex((c) => c.sha === base);
      const to = commits.findIndex((c) => c.sha === head);
      if (from < 0 || to < 0)
        throw new DeploybotError('github_not_found', 'Not Found', { details: { repository: nameOf(r) } });
      const ahead = to > from ? commits.slice(from + 1, to + 1) : [];
      return {
        totalCommits: ahead.length,
        behindBy: Math.max(0, from - to),
        commits: ahead.map((c) => ({ ...c })),
        htmlUrl: `https://github.com/${nameOf(r)}/compare/${base}...${head}`,
      };
    },
    async createDeploymentStatus(request) {
      enter('createDeploymentStatus', [request]);
      const d = deployments.find((x) => x.id === request.deploymentId);
      if (!d)
        throw new DeploybotError('github_not_found', 'Not Found', {
          details: { repository: request.repository },
        });
      if (Array.from(request.description).length > 140) {
        throw new DeploybotError('github_invalid', 'description is too long (maximum is 140 characters)', {
          details: { repository: request.repository },
        });
      }
      const status = { ...request, id: nextId++, at: options.now() };
      d.statuses.push(status);
      return { id: status.id };
    },
    async gitToken(repository) {
      enter('gitToken', [repository]);
      return 'memory-git-token';
    },
  };
}

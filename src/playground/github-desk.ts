import type { CommitStatusState } from '../stand-ins/github/repository-state.js';
import { buildMergedPullRequestPayload, buildStatusPayload } from '../stand-ins/github-payloads.js';
import type { GitHubStandIn } from '../stand-ins/github-stand-in.js';
import type { LocalCommit, LocalRepository } from './local-repository.js';
import { PlaygroundInputError } from './playground-input-error.js';

export interface PullRequest {
  readonly repo: string;
  readonly number: number;
  readonly title: string;
  readonly author: string;
  readonly base: string;
  state: 'open' | 'merged';
  mergeSha?: string;
}

export interface DeskCommit extends LocalCommit {
  /** Context → the newest state CI reported. */
  readonly statuses: Record<string, CommitStatusState>;
  /** The branches whose tip it is. */
  readonly branches: string[];
}

export interface DeskDeployment {
  readonly id: number;
  readonly repo: string;
  readonly environment: string;
  readonly ref: string;
  readonly sha: string;
  readonly creator: string;
  readonly description: string | null;
  readonly state: string;
  readonly statuses: Array<{ state: string; description: string; logUrl: string; environmentUrl: string }>;
}

export interface GitHubView {
  readonly repos: string[];
  readonly branches: string[];
  readonly contexts: string[];
  readonly environments: Record<string, string[]>;
  readonly pulls: PullRequest[];
  readonly commits: DeskCommit[];
  readonly deployments: DeskDeployment[];
}

export interface GitHubDeskOptions {
  readonly github: GitHubStandIn;
  readonly repository: LocalRepository;
  /** PATH for git, which serves the local repository's clones. */
  readonly gitPath: string;
  /** Every repository deploybot.yml names, each played by the one local repository. */
  readonly repos: readonly string[];
  readonly branches: readonly string[];
  readonly contexts: readonly string[];
  readonly environments: Readonly<Record<string, readonly string[]>>;
}

const SEEDED_PULLS = [
  { title: 'Add a dark mode', author: 'alice' },
  { title: 'Fix the typo on the pricing page', author: 'bob' },
];

/** GitHub as the panel shows it and acts on it: pull requests, CI, deployments; every change sends GitHub's webhook. */
export class GitHubDesk {
  private readonly pulls: PullRequest[] = [];
  private readonly statuses = new Map<string, Record<string, CommitStatusState>>();
  private nextNumber = 1;

  constructor(private readonly options: GitHubDeskOptions) {}

  /**
   * Tells the stand-in every repository (cloned from the local one), its commits and branches,
   * CI green on them, and a few open pull requests.
   */
  seed(): void {
    const { github, repository } = this.options;
    for (const repo of this.options.repos) {
      github.addRepository(repo, { defaultBranch: 'main' });
      github.serveClones(repo, { bareDir: repository.bareDir, path: this.options.gitPath });
      for (const commit of repository.commits) {
        github.addCommit(repo, commit.sha, { message: commit.message, author: commit.author });
      }
      const head = repository.head('main') as string;
      for (const branch of this.options.branches) github.setRef(repo, branch, head);
      for (const pull of SEEDED_PULLS) this.openPullRequest({ repo, base: 'main', ...pull });
    }
    for (const commit of repository.commits) {
      for (const context of this.options.contexts) this.recordStatus(commit.sha, context, 'success');
    }
  }

  openPullRequest(input: { repo: string; title: string; author: string; base: string }): PullRequest {
    this.requireRepo(input.repo);
    if (!this.options.branches.includes(input.base))
      throw new PlaygroundInputError(`no branch ${input.base}`);
    const pull: PullRequest = { ...input, number: this.nextNumber, state: 'open' };
    this.nextNumber += 1;
    this.pulls.push(pull);
    return pull;
  }

  /**
   * Merges as GitHub does: a merge commit on the base branch (a real one, so deploybot can check
   * it out), CI starting on it (pending), then the pull_request "closed" webhook.
   */
  async merge(repo: string, number: number): Promise<PullRequest> {
    const pull = this.pulls.find((candidate) => candidate.repo === repo && candidate.number === number);
    if (!pull) throw new PlaygroundInputError(`no pull request #${number} in ${repo}`);
    if (pull.state !== 'open') throw new PlaygroundInputError(`#${number} is already merged`);
    const { github, repository } = this.options;
    const commit = await repository.commit(
      pull.base,
      `Merge pull request #${number}: ${pull.title}`,
      pull.author,
    );
    pull.state = 'merged';
    pull.mergeSha = commit.sha;
    for (const each of this.options.repos) {
      github.addCommit(each, commit.sha, { message: commit.message, author: commit.author });
      github.setRef(each, pull.base, commit.sha);
    }
    for (const context of this.options.contexts) this.recordStatus(commit.sha, context, 'pending');
    await github.sendWebhook(
      'pull_request',
      buildMergedPullRequestPayload({
        repo,
        number,
        baseRef: pull.base,
        mergeCommitSha: commit.sha,
        author: pull.author,
        title: pull.title,
        apiUrl: github.url,
      }),
    );
    return pull;
  }

  /** CI reports `state` for every context on a commit: the commit status, then GitHub's status webhook. */
  async reportCi(repo: string, sha: string, state: CommitStatusState): Promise<void> {
    this.requireRepo(repo);
    const commit = this.options.repository.commits.find((candidate) => candidate.sha === sha);
    if (!commit) throw new PlaygroundInputError(`no commit ${sha}`);
    for (const context of this.options.contexts) {
      this.recordStatus(sha, context, state);
      await this.options.github.sendWebhook(
        'status',
        buildStatusPayload({
          repo,
          sha,
          context,
          state,
          description: state === 'success' ? 'The build passed' : `The build is ${state}`,
          branches: this.branchesAt(sha),
          message: commit.message,
          apiUrl: this.options.github.url,
        }),
      );
    }
  }

  /** A deployment created as another tool would (the GitHub UI, Actions): its creator is not deploybot. */
  createDeployment(input: { repo: string; ref: string; environment: string; creator: string }): number {
    this.requireRepo(input.repo);
    const sha = this.options.repository.head(input.ref) ?? this.findSha(input.ref);
    if (!sha) throw new PlaygroundInputError(`"${input.ref}" is neither a branch nor a commit`);
    const deployment = this.options.github.createDeploymentDirectly(input.repo, {
      ref: input.ref,
      sha,
      environment: input.environment,
      creator: input.creator,
      description: `Deploy ${input.ref} to ${input.environment} by ${input.creator}`,
    });
    return deployment.id;
  }

  view(): GitHubView {
    const { github, repository } = this.options;
    const deployments = this.options.repos.flatMap((repo) =>
      github.deployments(repo).map((deployment): DeskDeployment => {
        const statuses = github.statuses(deployment.id).map((status) => ({
          state: status.state,
          description: status.description,
          logUrl: status.log_url,
          environmentUrl: status.environment_url,
        }));
        return {
          id: deployment.id,
          repo,
          environment: deployment.environment,
          ref: deployment.ref,
          sha: deployment.sha,
          creator: deployment.creator.login,
          description: deployment.description,
          state: statuses.at(-1)?.state ?? 'created',
          statuses,
        };
      }),
    );
    const firstRepo = this.options.repos[0] ?? '';
    return {
      repos: [...this.options.repos],
      branches: [...this.options.branches],
      contexts: [...this.options.contexts],
      environments: Object.fromEntries(
        Object.entries(this.options.environments).map(([k, v]) => [k, [...v]]),
      ),
      pulls: this.pulls.map((pull) => ({ ...pull })),
      commits: repository.commits.map((commit) => ({
        ...commit,
        statuses: { ...this.statuses.get(`${firstRepo}@${commit.sha}`) },
        branches: this.branchesAt(commit.sha),
      })),
      deployments: deployments.sort((a, b) => b.id - a.id),
    };
  }

  private recordStatus(sha: string, context: string, state: CommitStatusState): void {
    // The one local repository plays every repository: CI on a commit counts for all of them.
    for (const each of this.options.repos) {
      this.options.github.setCommitStatus(each, sha, context, state);
      const key = `${each}@${sha}`;
      this.statuses.set(key, { ...this.statuses.get(key), [context]: state });
    }
  }

  private branchesAt(sha: string): string[] {
    return this.options.branches.filter((branch) => this.options.repository.head(branch) === sha);
  }

  private findSha(ref: string): string | undefined {
    const lower = ref.toLowerCase();
    if (lower.length < 7) return undefined;
    return this.options.repository.commits.find((commit) => commit.sha.startsWith(lower))?.sha;
  }

  private requireRepo(repo: string): void {
    if (!this.options.repos.includes(repo)) throw new PlaygroundInputError(`no repository ${repo}`);
  }
}

import type { EmitterWebhookEvent } from '@octokit/webhooks';
import {
  applyContext,
  buildRepository,
  buildUser,
  copyExample,
  deriveId,
  deriveSha,
  formatGitHubTime,
  GITHUB_API,
  GITHUB_WEB,
  type GitHubUser,
  type Json,
  type PayloadContext,
  replaceInStrings,
  retargetExample,
} from './github/payload-basics.js';

/*
 * Webhook payloads for tests and the playground, each a copy of a real payload from
 * @octokit/webhooks-examples with the interesting fields replaced. Starting from real payloads (rather than hand-written minimal
 * objects) keeps the fields deploybot does not look at today present and realistically shaped.
 * URL fields use api.github.com unless `apiUrl` says otherwise; html URLs use github.com.
 */

export type PullRequestClosedPayload = EmitterWebhookEvent<'pull_request.closed'>['payload'];
export type StatusPayload = EmitterWebhookEvent<'status'>['payload'];
export type CheckSuitePayload = EmitterWebhookEvent<'check_suite'>['payload'];

export {
  buildDeploymentPayload,
  buildDeploymentStatusPayload,
  type DeploymentCreatedPayload,
  type DeploymentFields,
  type DeploymentPayloadOptions,
  type DeploymentStatusCreatedPayload,
  type DeploymentStatusFields,
  type DeploymentStatusPayloadOptions,
} from './github/deployment-payloads.js';
export {
  buildRepository,
  buildUser,
  type DeploymentStatusState,
  deriveId,
  deriveSha,
  formatGitHubTime,
  type GitHubUser,
  type PayloadContext,
  type RepositoryShape,
} from './github/payload-basics.js';

export interface MergedPullRequestOptions extends PayloadContext {
  repo: string;
  number: number;
  baseRef: string;
  mergeCommitSha: string;
  author: string;
  /** Set to another `owner/name` for a pull request from a fork. */
  headRepo?: string;
  headRef?: string;
  headSha?: string;
  baseSha?: string;
  /** Defaults to true; false gives a pull request closed without merging. */
  merged?: boolean;
  mergedBy?: string;
  title?: string;
  body?: string | null;
  labels?: string[];
  sender?: string;
}

export function buildMergedPullRequestPayload(options: MergedPullRequestOptions): PullRequestClosedPayload {
  const api = options.apiUrl ?? GITHUB_API;
  const { repo, number } = options;
  const merged = options.merged ?? true;
  const now = formatGitHubTime();
  const payload = retargetExample(
    copyExample('pull_request', (example) => example.action === 'closed'),
    repo,
    api,
  );
  // The base branch is where merges land, which is the default branch unless a test says otherwise.
  applyContext(
    payload,
    repo,
    { ...options, repository: { defaultBranch: options.baseRef, ...options.repository } },
    api,
  );
  const baseRepository = payload.repository as Json;
  const isFork = options.headRepo !== undefined && options.headRepo.toLowerCase() !== repo.toLowerCase();
  const headRepository = isFork
    ? { ...buildRepository(options.headRepo as string, {}, api), fork: true }
    : structuredClone(baseRepository);
  const headRef = options.headRef ?? `feature/pr-${number}`;
  const headSha = options.headSha ?? deriveSha(`${repo}#${number}:head`);
  const mergedBy = options.mergedBy ?? options.author;
  const pullApi = `${api}/repos/${repo}/pulls/${number}`;
  const issueApi = `${api}/repos/${repo}/issues/${number}`;
  const pullWeb = `${GITHUB_WEB}/${repo}/pull/${number}`;
  const statusesApi = `${api}/repos/${repo}/statuses/${headSha}`;
  const pullRequest = payload.pull_request as Json;
  Object.assign(pullRequest, {
    url: pullApi,
    id: deriveId(`pull:${repo}#${number}`),
    node_id: Buffer.from(`011:PullRequest${deriveId(`pull:${repo}#${number}`)}`).toString('base64'),
    html_url: pullWeb,
    diff_url: `${pullWeb}.diff`,
    patch_url: `${pullWeb}.patch`,
    issue_url: issueApi,
    number,
    state: 'closed',
    title: options.title ?? `Change number ${number}`,
    user: buildUser(options.author, api),
    body: options.body ?? null,
    updated_at: now,
    closed_at: now,
    merged_at: merged ? now : null,
    merge_commit_sha: options.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    labels: (options.labels ?? []).map((label) => buildLabel(repo, label, api)),
    milestone: null,
    commits_url: `${pullApi}/commits`,
    review_comments_url: `${pullApi}/comments`,
    comments_url: `${issueApi}/comments`,
    statuses_url: statusesApi,
    head: {
      label: `${(headRepository.owner as GitHubUser).login}:${headRef}`,
      ref: headRef,
      sha: headSha,
      user: headRepository.owner,
      repo: headRepository,
    },
    base: {
      label: `${(baseRepository.owner as GitHubUser).login}:${options.baseRef}`,
      ref: options.baseRef,
      sha: options.baseSha ?? deriveSha(`${repo}#${number}:base`),
      user: baseRepository.owner,
      repo: structuredClone(baseRepository),
    },
    _links: {
      self: { href: pullApi },
      html: { href: pullWeb },
      issue: { href: issueApi },
      comments: { href: `${issueApi}/comments` },
      review_comments: { href: `${pullApi}/comments` },
      review_comment: { href: `${api}/repos/${repo}/pulls/comments{/number}` },
      commits: { href: `${pullApi}/commits` },
      statuses: { href: statusesApi },
    },
    author_association: isFork ? 'CONTRIBUTOR' : 'MEMBER',
    merged,
    mergeable: merged ? null : true,
    mergeable_state: merged ? 'unknown' : 'clean',
    merged_by: merged ? buildUser(mergedBy, api) : null,
  });
  payload.number = number;
  payload.sender = buildUser(options.sender ?? (merged ? mergedBy : options.author), api);
  return payload as unknown as PullRequestClosedPayload;
}

function buildLabel(repo: string, name: string, api: string): Json {
  const id = deriveId(`label:${repo}:${name}`);
  return {
    id,
    node_id: Buffer.from(`05:Label${id}`).toString('base64'),
    url: `${api}/repos/${repo}/labels/${encodeURIComponent(name)}`,
    name,
    color: 'ededed',
    default: false,
    description: null,
  };
}

/** The git-level author of a commit, written the way GitHub's noreply addresses look. */
function describeGitPerson(login: string, date: Date = new Date()) {
  return { name: login, email: `${login}@users.noreply.github.com`, date: formatGitHubTime(date) };
}

export interface StatusPayloadOptions extends PayloadContext {
  repo: string;
  sha: string;
  context: string;
  state: 'pending' | 'success' | 'failure' | 'error';
  description?: string | null;
  targetUrl?: string | null;
  /** Branches whose tip is `sha`; GitHub lists them, and it is empty for older commits. */
  branches?: string[];
  /** Message of the commit the status is on. */
  message?: string;
  sender?: string;
}

export function buildStatusPayload(options: StatusPayloadOptions): StatusPayload {
  const api = options.apiUrl ?? GITHUB_API;
  const example = copyExample('status');
  const payload = replaceInStrings(
    retargetExample(example, options.repo, api),
    example.sha as string,
    options.sha,
  );
  applyContext(payload, options.repo, options, api);
  const sender = buildUser(options.sender ?? 'octocat', api);
  const now = new Date();
  const commit = payload.commit as Json;
  Object.assign(commit, { author: sender, committer: buildUser('web-flow', api) });
  Object.assign(commit.commit as Json, {
    author: describeGitPerson(sender.login, now),
    committer: { name: 'GitHub', email: 'noreply@github.com', date: formatGitHubTime(now) },
    message: options.message ?? 'Update README.md',
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  });
  const id = deriveId(`status:${options.repo}:${options.sha}:${options.context}:${now.getTime()}`);
  Object.assign(payload, {
    id,
    sha: options.sha,
    name: options.repo,
    target_url: options.targetUrl ?? null,
    context: options.context,
    description: options.description ?? null,
    state: options.state,
    branches: (options.branches ?? []).map((branch) => ({
      name: branch,
      commit: { sha: options.sha, url: `${api}/repos/${options.repo}/commits/${options.sha}` },
      protected: false,
    })),
    created_at: now.toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    updated_at: now.toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    sender,
  });
  return payload as unknown as StatusPayload;
}

export interface CheckSuitePayloadOptions extends PayloadContext {
  repo: string;
  headSha: string;
  headBranch?: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion?:
    | 'success'
    | 'failure'
    | 'neutral'
    | 'cancelled'
    | 'timed_out'
    | 'skipped'
    | 'action_required'
    | 'stale'
    | null;
  /** Defaults to "completed" for a completed suite and "requested" otherwise. */
  action?: 'completed' | 'requested' | 'rerequested';
  sender?: string;
}

export function buildCheckSuitePayload(options: CheckSuitePayloadOptions): CheckSuitePayload {
  const api = options.apiUrl ?? GITHUB_API;
  // The GitHub Actions example, because that is what produces check suites in deploybot's world.
  const example = copyExample(
    'check_suite',
    (candidate) => ((candidate.check_suite as Json).app as Json | null)?.slug === 'github-actions',
  );
  const exampleSha = (example.check_suite as Json).head_sha as string;
  const payload = replaceInStrings(retargetExample(example, options.repo, api), exampleSha, options.headSha);
  applyContext(payload, options.repo, options, api);
  const completed = options.status === 'completed';
  const id = deriveId(`suite:${options.repo}:${options.headSha}`);
  const suite = payload.check_suite as Json;
  Object.assign(suite, {
    id,
    node_id: Buffer.from(`010:CheckSuite${id}`).toString('base64'),
    head_branch: options.headBranch ?? (payload.repository as Json).default_branch,
    head_sha: options.headSha,
    status: options.status,
    conclusion: completed ? (options.conclusion ?? 'success') : null,
    url: `${api}/repos/${options.repo}/check-suites/${id}`,
    before: deriveSha(`${options.headSha}:parent`),
    after: options.headSha,
    pull_requests: [],
    updated_at: formatGitHubTime(),
    check_runs_url: `${api}/repos/${options.repo}/check-suites/${id}/check-runs`,
  });
  const author = describeGitPerson(options.sender ?? 'octocat');
  Object.assign(suite.head_commit as Json, {
    id: options.headSha,
    author: { name: author.name, email: author.email },
    committer: { name: author.name, email: author.email },
  });
  payload.action = options.action ?? (completed ? 'completed' : 'requested');
  payload.sender = buildUser(options.sender ?? 'octocat', api);
  return payload as unknown as CheckSuitePayload;
}

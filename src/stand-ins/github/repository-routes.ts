import type { Reply } from './http-exchange.js';
import { buildRepository, buildUser } from './payload-basics.js';
import {
  type CommitRecord,
  combineStatusStates,
  compareCommits,
  findCommit,
  latestCheckRuns,
  latestStatuses,
  type RepositoryRecord,
  resolveRef,
} from './repository-state.js';
import {
  DOCS,
  defineRepositoryRoute,
  paginate,
  type Route,
  replyError,
  replyNotFound,
  type StandInCore,
} from './rest-kit.js';

const GET_COMMIT_DOCS = `${DOCS}/commits/commits#get-a-commit`;
const COMPARE_DOCS = `${DOCS}/commits/commits#compare-two-commits`;
const COMBINED_STATUS_DOCS = `${DOCS}/commits/statuses#get-the-combined-status-for-a-specific-reference`;
const CHECK_RUNS_DOCS = `${DOCS}/checks/runs#list-check-runs-for-a-git-reference`;

function renderRepository(core: StandInCore, repository: RepositoryRecord): Record<string, unknown> {
  const shape = { defaultBranch: repository.defaultBranch, private: repository.private, id: repository.id };
  return buildRepository(repository.fullName, shape, core.apiUrl());
}

/** The commit object of GET /commits/:ref and of each entry in a comparison. */
function renderCommit(core: StandInCore, repository: RepositoryRecord, commit: CommitRecord) {
  const api = `${core.apiUrl()}/repos/${repository.fullName}`;
  const index = repository.commits.findIndex((candidate) => candidate.sha === commit.sha);
  const parent = index > 0 ? repository.commits[index - 1] : undefined;
  const person = {
    name: commit.author,
    email: `${commit.author}@users.noreply.github.com`,
    date: commit.date,
  };
  return {
    sha: commit.sha,
    node_id: Buffer.from(`06:Commit${repository.id}:${commit.sha}`).toString('base64'),
    commit: {
      author: person,
      committer: { name: 'GitHub', email: 'noreply@github.com', date: commit.date },
      message: commit.message,
      tree: { sha: commit.sha, url: `${api}/git/trees/${commit.sha}` },
      url: `${api}/git/commits/${commit.sha}`,
      comment_count: 0,
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null,
      },
    },
    url: `${api}/commits/${commit.sha}`,
    html_url: `https://github.com/${repository.fullName}/commit/${commit.sha}`,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    author: buildUser(commit.author, core.apiUrl()),
    committer: buildUser('web-flow', core.apiUrl()),
    parents: parent
      ? [
          {
            sha: parent.sha,
            url: `${api}/commits/${parent.sha}`,
            html_url: `https://github.com/${repository.fullName}/commit/${parent.sha}`,
          },
        ]
      : [],
  };
}

function replyNoCommit(ref: string, documentationUrl: string): Reply {
  return replyError(422, `No commit found for SHA: ${ref}`, documentationUrl);
}

export const repositoryRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/user$/,
    handle: (core) => ({ status: 200, body: buildUser(core.login, core.apiUrl()) }),
  },
  {
    method: 'GET',
    pattern: /^\/rate_limit$/,
    handle: (core) => {
      const coreLimit = { ...core.describeRateLimit(), resource: 'core' };
      const search = { limit: 30, used: 0, remaining: 30, reset: coreLimit.reset, resource: 'search' };
      return { status: 200, body: { resources: { core: coreLimit, search }, rate: coreLimit } };
    },
  },

  defineRepositoryRoute('GET', '', (core, _request, repository) => ({
    status: 200,
    body: renderRepository(core, repository),
  })),

  defineRepositoryRoute('GET', '/commits/(.+)/status', (core, _request, repository, [ref = '']) => {
    const sha = resolveRef(repository, ref);
    if (!sha) return replyNoCommit(ref, COMBINED_STATUS_DOCS);
    const api = `${core.apiUrl()}/repos/${repository.fullName}`;
    const statuses = latestStatuses(repository, sha);
    return {
      status: 200,
      body: {
        state: combineStatusStates(statuses),
        statuses: statuses.map((status) => ({
          url: `${api}/statuses/${sha}`,
          avatar_url: 'https://avatars.githubusercontent.com/u/9919?v=4',
          id: status.id,
          node_id: Buffer.from(`013:StatusContext${status.id}`).toString('base64'),
          state: status.state,
          description: null,
          target_url: null,
          context: status.context,
          created_at: status.created_at,
          updated_at: status.created_at,
        })),
        sha,
        total_count: statuses.length,
        repository: renderRepository(core, repository),
        commit_url: `${api}/commits/${sha}`,
        url: `${api}/commits/${sha}/status`,
      },
    };
  }),

  defineRepositoryRoute('GET', '/commits/(.+)/check-runs', (core, request, repository, [ref = '']) => {
    const sha = resolveRef(repository, ref);
    if (!sha) return replyNoCommit(ref, CHECK_RUNS_DOCS);
    const api = `${core.apiUrl()}/repos/${repository.fullName}`;
    const { check_name: name, status } = request.query;
    const runs = latestCheckRuns(repository, sha).filter(
      (run) => (name === undefined || run.name === name) && (status === undefined || run.status === status),
    );
    const page = paginate(core, request, runs);
    return {
      status: 200,
      headers: page.headers,
      body: {
        total_count: runs.length,
        check_runs: page.items.map((run) => ({
          id: run.id,
          name: run.name,
          node_id: Buffer.from(`08:CheckRun${run.id}`).toString('base64'),
          head_sha: run.sha,
          external_id: '',
          url: `${api}/check-runs/${run.id}`,
          html_url: `https://github.com/${repository.fullName}/runs/${run.id}`,
          details_url: `https://github.com/${repository.fullName}/actions/runs/${run.id}`,
          status: run.status,
          conclusion: run.conclusion,
          started_at: run.started_at,
          completed_at: run.completed_at,
          output: { title: null, summary: null, text: null, annotations_count: 0 },
          check_suite: { id: run.id },
          app: { id: 15368, slug: 'github-actions', name: 'GitHub Actions' },
          pull_requests: [],
        })),
      },
    };
  }),

  defineRepositoryRoute('GET', '/commits/(.+)', (core, _request, repository, [ref = '']) => {
    const sha = resolveRef(repository, ref);
    if (!sha) return replyNoCommit(ref, GET_COMMIT_DOCS);
    return {
      status: 200,
      body: { ...renderCommit(core, repository, findCommit(repository, sha)), files: [] },
    };
  }),

  defineRepositoryRoute('GET', '/compare/(.+)', (core, _request, repository, [basehead = '']) => {
    const [base = '', head = ''] = basehead.split('...');
    const baseSha = resolveRef(repository, base);
    const headSha = resolveRef(repository, head);
    const result =
      baseSha && headSha ? compareCommits(repository, baseSha, headSha) : { found: false as const };
    if (!result.found || !baseSha) return replyNotFound(COMPARE_DOCS);
    const api = `${core.apiUrl()}/repos/${repository.fullName}`;
    const web = `https://github.com/${repository.fullName}`;
    const baseCommit = renderCommit(core, repository, findCommit(repository, baseSha));
    return {
      status: 200,
      body: {
        url: `${api}/compare/${base}...${head}`,
        html_url: `${web}/compare/${base}...${head}`,
        permalink_url: `${web}/compare/${repository.fullName.split('/')[0]}:${baseSha.slice(0, 7)}...${head}`,
        diff_url: `${web}/compare/${base}...${head}.diff`,
        patch_url: `${web}/compare/${base}...${head}.patch`,
        base_commit: baseCommit,
        merge_base_commit: baseCommit,
        status: result.status,
        ahead_by: result.aheadBy,
        behind_by: result.behindBy,
        total_commits: result.commits.length,
        commits: result.commits.map((commit) => renderCommit(core, repository, commit)),
        files: [],
      },
    };
  }),
];

import type { Config, RepoConfig } from '../core/config.js';
import { presentError, toDeploybotError } from '../core/errors.js';
import {
  describePermissions,
  findMissingPermissions,
  REQUIRED_GITHUB_PERMISSIONS,
} from '../core/github-permissions.js';
import type {
  GitHubCheckPort,
  GitHubCredential,
  GitHubInstallation,
  RepositoryRead,
} from '../core/ports/github-check.js';
import { type CheckLine, fail, pass } from './check-line.js';

type AppCredential = Extract<GitHubCredential, { kind: 'app' }>;

const READS: readonly { read: RepositoryRead; permission: string }[] = [
  { read: 'deployments', permission: 'deployments' },
  { read: 'contents', permission: 'contents' },
  { read: 'statuses', permission: 'statuses' },
  { read: 'checks', permission: 'checks' },
];

const needed = (names: readonly string[]) =>
  describePermissions(names.map((name) => ({ name, needed: REQUIRED_GITHUB_PERMISSIONS[name] ?? 'read' })));

function credentialLines(credential: GitHubCredential): CheckLine[] {
  if (credential.kind === 'app') {
    const missing = findMissingPermissions(credential.permissions);
    return [
      pass(
        `GitHub App ${credential.name} (ID ${credential.id}) signs in; deploybot acts as ${credential.slug}[bot]`,
      ),
      missing.length === 0
        ? pass('GitHub App: it has every permission deploybot needs')
        : fail(
            `GitHub App: it lacks ${describePermissions(missing)}`,
            "Add them in the App's settings → Permissions & events, then accept them on each installation",
          ),
    ];
  }
  const who =
    credential.login === undefined
      ? 'GitHub: GITHUB_TOKEN is accepted'
      : `GitHub: GITHUB_TOKEN belongs to @${credential.login}`;
  const lines = [pass(who)];
  // A fine-grained or installation token has no scopes; the reads below tell what it lacks.
  if (credential.scopes !== undefined) {
    const scopes = new Set(credential.scopes);
    const enough = scopes.has('repo') || (scopes.has('repo_deployment') && scopes.has('repo:status'));
    lines.push(
      enough
        ? pass(`GitHub: the classic token has the scopes deploybot needs (${[...scopes].join(', ')})`)
        : fail(
            `GitHub: the classic token lacks the repo scope (it has ${[...scopes].join(', ') || 'none'})`,
            'Give it the repo scope (repo_deployment and repo:status do for public repositories only), or use a fine-grained token',
          ),
    );
  }
  return lines;
}

/** One line per owner: whether the App is installed there, on every configured repository. */
async function installationLines(github: GitHubCheckPort, app: AppCredential, repos: readonly RepoConfig[]) {
  const lines: CheckLine[] = [];
  const uncovered = new Set<string>();
  for (const owner of [...new Set(repos.map((repo) => repo.owner))]) {
    const own = repos.filter((repo) => repo.owner === owner);
    const found = new Map<string, GitHubInstallation | undefined>();
    for (const repo of own) {
      try {
        found.set(repo.fullName, await github.installation({ owner, repo: repo.name }));
      } catch (thrown) {
        uncovered.add(repo.fullName);
        const text = presentError(toDeploybotError(thrown)).text;
        lines.push(
          fail(
            `GitHub App: the installation of ${repo.fullName} cannot be looked up: ${text}`,
            'Run npm run check again in a minute',
          ),
        );
      }
    }
    if (found.size === 0) continue;
    const missing = own
      .filter((repo) => found.has(repo.fullName) && found.get(repo.fullName) === undefined)
      .map((repo) => repo.fullName);
    for (const name of missing) uncovered.add(name);
    const installations = [
      ...new Map([...found.values()].flatMap((i) => (i ? [[i.id, i] as const] : []))).values(),
    ];
    if (installations.length === 0) {
      lines.push(
        fail(
          `GitHub App is not installed on ${owner}`,
          `Install it at ${app.installUrl}, on ${owner}, with access to ${missing.join(', ')}`,
        ),
      );
      continue;
    }
    const ids = installations.map((i) => i.id).join(', ');
    if (missing.length > 0) {
      lines.push(
        fail(
          `GitHub App's installation on ${owner} (${ids}) lacks ${missing.join(', ')}`,
          `Add them under Repository access at ${installations[0]?.settingsUrl}`,
        ),
      );
    } else {
      lines.push(pass(`GitHub App is installed on ${owner} (installation ${ids})`));
    }
    for (const installation of installations) {
      const lacking = findMissingPermissions(installation.permissions);
      if (lacking.length > 0) {
        lines.push(
          fail(
            `GitHub App's installation on ${owner} (${installation.id}) lacks ${describePermissions(lacking)}`,
            `Accept the App's permissions at ${installation.settingsUrl}`,
          ),
        );
      }
      if (app.installationId !== undefined && app.installationId !== installation.id) {
        lines.push(
          fail(
            `GITHUB_APP_INSTALLATION_ID is ${app.installationId}, but ${owner} is on installation ${installation.id}`,
            'Unset GITHUB_APP_INSTALLATION_ID: deploybot then uses the installation of each repository',
          ),
        );
      }
    }
  }
  return { lines, uncovered };
}

async function repositoryLine(
  github: GitHubCheckPort,
  credential: GitHubCredential,
  repo: RepoConfig,
): Promise<CheckLine> {
  const ref = { owner: repo.owner, repo: repo.name };
  let defaultBranch: string;
  try {
    defaultBranch = (await github.repository(ref)).defaultBranch;
  } catch (thrown) {
    const error = toDeploybotError(thrown);
    const fix =
      credential.kind === 'app'
        ? `Check the name in deploybot.yml and that the App's installation has access to it`
        : `Give GITHUB_TOKEN access to ${repo.fullName} (fine-grained: Repository access; classic: a user who can see it), or fix the name in deploybot.yml`;
    return fail(`${repo.fullName}: not readable: ${presentError(error).text}`, fix);
  }
  const lacking: string[] = [];
  const trouble: string[] = [];
  for (const { read, permission } of READS) {
    try {
      await github.read(ref, read, defaultBranch);
    } catch (thrown) {
      const error = toDeploybotError(thrown);
      if (error.code === 'github_forbidden' || error.code === 'github_not_found') lacking.push(permission);
      // An empty repository has no commit to read; that is no missing permission.
      else if (error.code !== 'github_no_such_ref' && error.code !== 'github_merge_conflict')
        trouble.push(`${read}: ${presentError(error).text}`);
    }
  }
  if (lacking.length > 0) {
    const fix =
      credential.kind === 'app'
        ? `Give the App ${needed(lacking)} and accept them on its installation`
        : `Grant GITHUB_TOKEN ${needed(lacking)} on ${repo.fullName}`;
    return fail(`${repo.fullName}: readable, but the credential cannot read ${lacking.join(', ')}`, fix);
  }
  if (trouble.length > 0)
    return fail(`${repo.fullName}: ${trouble.join('; ')}`, 'Run npm run check again in a minute');
  return pass(
    `${repo.fullName}: readable (default branch ${defaultBranch}), deployments, commits, statuses and checks too`,
  );
}

/** GitHub as deploybot needs it: the credential, the App's installations, every configured repository. */
export async function checkGitHub(github: GitHubCheckPort, config: Config): Promise<CheckLine[]> {
  let credential: GitHubCredential;
  try {
    credential = await github.credential();
  } catch (thrown) {
    const error = toDeploybotError(thrown);
    return [
      fail(
        `GitHub refuses deploybot's credential: ${presentError(error).text}`,
        'Check GITHUB_TOKEN, or GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY (a key of that App, and this machine’s clock right); npm run setup registers a new App',
      ),
    ];
  }
  const lines = credentialLines(credential);
  let uncovered = new Set<string>();
  if (credential.kind === 'app') {
    const installations = await installationLines(github, credential, config.repos);
    lines.push(...installations.lines);
    uncovered = installations.uncovered;
  }
  for (const repo of config.repos) {
    if (!uncovered.has(repo.fullName)) lines.push(await repositoryLine(github, credential, repo));
  }
  return lines;
}

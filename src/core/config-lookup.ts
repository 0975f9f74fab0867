import type { Config, EnvironmentConfig, RepoConfig } from './config.js';

/**
 * Finds a repository by what a person typed: `owner/name` (any case), a bare name of a
 * repository owned by `github.owner`, or one of its aliases. The config file guarantees
 * that aliases and names never collide, so the order of the checks does not matter.
 */
export function findRepo(config: Config, nameOrAlias: string): RepoConfig | undefined {
  const wanted = nameOrAlias.trim().toLowerCase();
  if (wanted === '') return undefined;
  if (wanted.includes('/')) return findRepoByFullName(config, wanted);
  const owner = config.github.owner;
  const byName = owner === undefined ? undefined : findRepoByFullName(config, `${owner}/${wanted}`);
  return byName ?? config.repos.find((repo) => repo.aliases.some((alias) => alias.toLowerCase() === wanted));
}

/** Finds an environment of `repo` by name or alias, ignoring case. */
export function findEnvironment(repo: RepoConfig, nameOrAlias: string): EnvironmentConfig | undefined {
  const wanted = nameOrAlias.trim().toLowerCase();
  return (
    repo.environments.find((env) => env.name.toLowerCase() === wanted) ??
    repo.environments.find((env) => env.aliases.some((alias) => alias.toLowerCase() === wanted))
  );
}

/** The environments to deploy when a pull request is merged into `baseBranch`. */
export function environmentsDeployedOnMerge(repo: RepoConfig, baseBranch: string): EnvironmentConfig[] {
  // Webhooks carry bare branch names, but a full ref is accepted too; branch names are case-sensitive.
  const branch = baseBranch.replace(/^refs\/heads\//, '');
  return repo.environments.filter((env) => env.deployOnMerge === branch);
}

/** Where to announce deployments of a repository: its own channel, else the default one. */
export function channelFor(config: Config, repoFullName: string | undefined): string {
  const repo = repoFullName === undefined ? undefined : findRepoByFullName(config, repoFullName);
  return repo?.channel ?? config.slack.channel;
}

function findRepoByFullName(config: Config, fullName: string): RepoConfig | undefined {
  const wanted = fullName.toLowerCase();
  return config.repos.find((repo) => repo.fullName.toLowerCase() === wanted);
}

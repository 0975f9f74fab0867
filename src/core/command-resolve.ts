import { fail, type Result } from './result.js';
/** Names in a command → the repository and environment they mean, or a helpful refusal. */

import { quote } from './command-text.js';
import type { InvalidCommand } from './command-types.js';
import type { Config, EnvironmentConfig, RepoConfig } from './config.js';
import { findEnvironment, findRepo } from './config-lookup.js';
import { suggest } from './suggest.js';

export const COMMAND_KEYWORDS = ['where', 'history', 'lock', 'unlock', 'rollback', 'cancel', 'help'] as const;

/** A name resolved against deploybot.yml, or the answer that says it could not be. */
export type Resolved<T> = Result<T, InvalidCommand>;

const REPO_TEXT = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)?$/;

export function resolveRepo(config: Config, text: string, mayBeKeyword: boolean): Resolved<RepoConfig> {
  if (text.includes('@')) {
    return fail(invalid(`A ref (\`@…\`) only goes with a deploy; name the repository alone, as in \`web\`.`));
  }
  if (text.includes('!')) {
    return fail(invalid('`!` only goes with a deploy (to force it) or a lock (to steal it).'));
  }
  const repo = REPO_TEXT.test(text) ? findRepo(config, text) : undefined;
  if (repo !== undefined) return { ok: true, value: repo };
  const candidates = repoCandidates(config);
  const keywords = mayBeKeyword ? suggest(text, ['deploy', ...COMMAND_KEYWORDS], 1) : [];
  const suggestions = [...new Set([...keywords, ...suggestRepos(config, text)])].slice(0, 3);
  const known =
    suggestions.length === 0 && candidates.length > 0 && candidates.length <= 10
      ? ` I deploy ${candidates.map((name) => quote(name)).join(', ')}.`
      : '';
  return fail(invalid(`I don't know the repository ${quote(text)}.${known}`, suggestions));
}

export function resolveEnvironment(repo: RepoConfig, text: string): Resolved<EnvironmentConfig> {
  if (text.includes('!')) {
    return fail(invalid('`!` only goes with a deploy (to force it) or a lock (to steal it).'));
  }
  const env = findEnvironment(repo, text);
  if (env !== undefined) return { ok: true, value: env };
  const candidates = repo.environments.flatMap((e) => [e.name, ...e.aliases]);
  const suggestions = suggest(text, candidates);
  const known =
    suggestions.length === 0
      ? ` Its environments: ${repo.environments.map((e) => quote(e.name)).join(', ')}.`
      : '';
  return fail(
    invalid(`${quote(text)} is not an environment of ${quote(repo.fullName)}.${known}`, suggestions),
  );
}

/** How repositories are shown: short names when `github.owner` owns them, full names else; and aliases. */
export function repoCandidates(config: Config): string[] {
  return config.repos.flatMap((repo) => [repoLabel(config, repo), ...repo.aliases]);
}

function repoLabel(config: Config, repo: RepoConfig): string {
  return repo.owner.toLowerCase() === config.github.owner?.toLowerCase() ? repo.name : repo.fullName;
}

/**
 * The repositories someone typing `text` may have meant, as they should type them. A bare
 * name is compared with every repository's name, even one `github.owner` does not own
 * (`tools` → `other-org/tools`); `owner/name` with full names.
 */
export function suggestRepos(config: Config, text: string): string[] {
  const names = config.repos.flatMap((repo) =>
    text.includes('/')
      ? [{ key: repo.fullName, label: repo.fullName }]
      : [
          { key: repo.name, label: repoLabel(config, repo) },
          ...repo.aliases.map((alias) => ({ key: alias, label: alias })),
        ],
  );
  const keys = suggest(
    text,
    names.map((n) => n.key),
    names.length,
  );
  const labels = keys.flatMap((key) =>
    names.filter((n) => n.key.toLowerCase() === key.toLowerCase()).map((n) => n.label),
  );
  return [...new Set(labels)].slice(0, 3);
}

export function defaultEnvironment(repo: RepoConfig): EnvironmentConfig {
  // The config loader resolves default_environment to an environment that exists.
  return findEnvironment(repo, repo.defaultEnvironment) ?? repo.environments[0]!;
}

export function invalid(reason: string, suggestions: string[] = []): InvalidCommand {
  return { kind: 'invalid', reason, suggestions };
}

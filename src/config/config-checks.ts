/**
 * Checks that relate several fields of deploybot.yml. They read the raw YAML data
 * defensively, skipping whatever is malformed (the schema reports that), so they run
 * even when something elsewhere in the file is broken and all problems show at once.
 */

export interface PathProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly fix?: string;
}

export function checkCrossFields(raw: unknown): PathProblem[] {
  const repos = asRecord(asRecord(raw)?.repos);
  if (repos === undefined) return [];
  return [
    ...checkRepoNames(repos),
    ...Object.entries(repos).flatMap(([key, repo]) => checkEnvironments(key, repo)),
  ];
}

/** People type repositories by name or alias, so one word must never mean two repositories. */
function checkRepoNames(repos: Record<string, unknown>): PathProblem[] {
  const problems: PathProblem[] = [];
  const fullNames = new Map<string, string>();
  const bareNames = new Map<string, string[]>();
  for (const key of Object.keys(repos)) {
    const first = fullNames.get(key.toLowerCase());
    if (first !== undefined) {
      problems.push({
        path: ['repos', key],
        message: `is the same repository as "${first}" (repository names are compared ignoring case)`,
        fix: 'List each repository once',
      });
      continue;
    }
    fullNames.set(key.toLowerCase(), key);
    const bare = key.slice(key.indexOf('/') + 1).toLowerCase();
    bareNames.set(bare, [...(bareNames.get(bare) ?? []), key]);
  }

  const aliasOwners = new Map<string, string>();
  for (const [key, repo] of Object.entries(repos)) {
    asStrings(asRecord(repo)?.aliases).forEach((alias, index) => {
      if (alias === undefined) return;
      const token = alias.toLowerCase();
      const path = ['repos', key, 'aliases', index];
      const namedRepo = bareNames.get(token)?.find((other) => other !== key);
      const aliasOwner = aliasOwners.get(token);
      if (namedRepo !== undefined) {
        problems.push({
          path,
          message: `"${alias}" is also the name of repository "${namedRepo}"`,
          fix: 'Pick an alias that is not the name of another repository',
        });
      } else if (aliasOwner !== undefined && aliasOwner !== key) {
        problems.push({
          path,
          message: `"${alias}" is also an alias of repository "${aliasOwner}"`,
          fix: 'Give each repository its own aliases',
        });
      } else {
        aliasOwners.set(token, key);
      }
    });
  }
  return problems;
}

function checkEnvironments(repoKey: string, repoValue: unknown): PathProblem[] {
  const repo = asRecord(repoValue);
  const environments = asRecord(repo?.environments);
  if (repo === undefined || environments === undefined) return [];
  const problems: PathProblem[] = [];
  const base = ['repos', repoKey, 'environments'];
  // Environment lookup ignores case, so names and aliases share one case-insensitive namespace.
  const owners = new Map<string, string>();
  for (const name of Object.keys(environments)) {
    const owner = owners.get(name.toLowerCase());
    if (owner === undefined) owners.set(name.toLowerCase(), name);
    else {
      problems.push({
        path: [...base, name],
        message: `has the same name as environment "${owner}" (environment names are compared ignoring case)`,
        fix: 'Rename one of them or merge them',
      });
    }
  }
  for (const [name, environment] of Object.entries(environments)) {
    asStrings(asRecord(environment)?.aliases).forEach((alias, index) => {
      if (alias === undefined) return;
      const owner = owners.get(alias.toLowerCase());
      if (owner === undefined) owners.set(alias.toLowerCase(), name);
      else if (owner !== name) {
        problems.push({
          path: [...base, name, 'aliases', index],
          message: `"${alias}" is already a name or alias of environment "${owner}"`,
          fix: 'Give each environment names and aliases no other environment of the repository uses',
        });
      }
    });
  }

  const wanted = repo.default_environment;
  if (typeof wanted === 'string' && wanted !== '' && !owners.has(wanted.toLowerCase())) {
    problems.push({
      path: ['repos', repoKey, 'default_environment'],
      message: `"${wanted}" is not an environment of this repository`,
      fix: `Use one of ${Object.keys(environments).join(', ')}, or remove it to default to the first one`,
    });
  }
  return problems;
}

/** The canonical environment name for a name or alias, ignoring case. */
export function resolveEnvironmentName(
  environments: Readonly<Record<string, { readonly aliases?: readonly string[] | undefined }>>,
  nameOrAlias: string,
): string | undefined {
  const wanted = nameOrAlias.toLowerCase();
  const entries = Object.entries(environments);
  return (
    entries.find(([name]) => name.toLowerCase() === wanted)?.[0] ??
    entries.find(([, env]) => env.aliases?.some((alias) => alias.toLowerCase() === wanted))?.[0]
  );
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Keeps indexes aligned with the YAML list so problems point at the right element. */
function asStrings(value: unknown): (string | undefined)[] {
  return Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item : undefined)) : [];
}

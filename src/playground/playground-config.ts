import type { Config, EnvironmentConfig, ProviderConfig } from '../core/config.js';

/** What the playground plays without --config: one repository, a staging that follows main, a production that asks. */
export const PLAYGROUND_CONFIG = `
slack:
  channel: C0DEPLOYS
github:
  owner: acme
users:
  U0ALICE: alice
  U0BOB: bob
repos:
  acme/web:
    channel: C0WEB
    aliases: [website]
    environments:
      staging:
        aliases: [stg]
        deploy_on_merge: main
        required_contexts: [ci/build]
        trusted_creators: [octocat]
        url: https://staging.web.example.com
        provider: { type: script, command: [./script/deploy, staging] }
      production:
        aliases: [prod]
        required_contexts: [ci/build]
        url: https://web.example.com
        provider: { type: script, command: [./script/deploy, production] }
`;

/** The people of the playground's Slack when deploybot.yml names nobody else. */
export const PLAYGROUND_PEOPLE: ReadonlyArray<{ id: string; name: string }> = [
  { id: 'U0ALICE', name: 'alice' },
  { id: 'U0BOB', name: 'bob' },
];

const STEP_SECONDS = '1';

function playgroundProvider(environment: EnvironmentConfig): ProviderConfig {
  // Nothing runs for an external provider, so it stays; anything else would reach real systems.
  if (environment.provider.type === 'external') return environment.provider;
  const timeoutSeconds = environment.provider.timeoutSeconds;
  return {
    type: 'script',
    command: ['./script/deploy', environment.name],
    checkout: true,
    timeoutSeconds,
    env: { STEP_SECONDS },
  };
}

/**
 * A deploybot.yml as the playground runs it: every repository is fetched from GitHub (the
 * stand-in, which serves the local repository for each), whatever its clone_url, and every
 * deployment runs its script/deploy instead of the configured command or HTTP call, so rules
 * can be tried without touching anything real.
 */
export function mapConfigOntoRepository(config: Config): Config {
  return {
    ...config,
    repos: config.repos.map(({ cloneUrl: _real, ...repo }) => ({
      ...repo,
      environments: repo.environments.map((environment) => ({
        ...environment,
        provider: playgroundProvider(environment),
      })),
    })),
  };
}

/** Every channel deploybot.yml names: the Slack stand-in knows exactly these. */
export function channelsOf(config: Config): string[] {
  const named = [
    config.slack.channel,
    ...config.repos.flatMap((repo) => (repo.channel ? [repo.channel] : [])),
  ];
  return [...new Set(named)];
}

/** The branches merges can land on: main and every deploy_on_merge branch. */
export function branchesOf(config: Config): string[] {
  const named = config.repos.flatMap((repo) =>
    repo.environments.flatMap((environment) =>
      environment.deployOnMerge ? [environment.deployOnMerge] : [],
    ),
  );
  return [...new Set(['main', ...named])];
}

/** The commit statuses CI reports in the GitHub panel: every required context, or ci/build. */
export function contextsOf(config: Config): string[] {
  const named = config.repos.flatMap((repo) =>
    repo.environments.flatMap((environment) => environment.requiredContexts ?? []),
  );
  return named.length > 0 ? [...new Set(named)] : ['ci/build'];
}

/** The Slack members: those deploybot.yml maps to GitHub logins (named after them), then alice and bob. */
export function peopleOf(config: Config): Array<{ id: string; name: string }> {
  const people = new Map(PLAYGROUND_PEOPLE.map((person) => [person.id, person.name]));
  for (const [id, login] of Object.entries(config.users)) people.set(id, login);
  return [...people].map(([id, name]) => ({ id, name }));
}

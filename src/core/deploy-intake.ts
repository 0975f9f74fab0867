import type { Config, EnvironmentConfig, RepoConfig } from './config.js';
import { findRepo } from './config-lookup.js';
import { laneOf } from './deploy-queue.js';
import { DeploybotError } from './errors.js';
import { ENVIRONMENT_NAME, isFullSha, isRepoFullName, isValidGitRef } from './names.js';
import type { DeployTarget } from './ports/deploy-provider.js';

/** A GitHub deployment as the deployer is told of it: by a webhook, or by deploybot creating it. */
export interface IncomingDeployment {
  /** `owner/name` as GitHub spells it. */
  readonly repository: string;
  readonly id: number;
  readonly sha: string;
  readonly ref: string;
  readonly environment: string;
  readonly task?: string;
  /** Undefined when not known yet; the deployer reads it from GitHub before running. */
  readonly payload?: unknown;
  readonly creator?: string;
}

export type Intake =
  | { readonly kind: 'ignore'; readonly reason: string }
  | {
      readonly kind: 'run' | 'refuse';
      readonly repo: RepoConfig;
      readonly environment: EnvironmentConfig;
      readonly lane: string;
      /** Set for 'refuse': why the deployment must not touch git or a process. */
      readonly error?: DeploybotError;
    };

/**
 * Whether the deployer runs a deployment. Deployments of repositories and environments
 * not in deploybot.yml, and those another system carries out (`external`), are not
 * deploybot's. One that is deploybot's but names a hostile ref or sha is refused: it
 * gets an `error` status and nothing runs.
 */
export function decideIntake(config: Config, deployment: IncomingDeployment): Intake {
  const repo = findRepo(config, deployment.repository);
  if (!repo || repo.fullName.toLowerCase() !== deployment.repository.toLowerCase()) {
    return { kind: 'ignore', reason: 'repository not in deploybot.yml' };
  }
  const environment = findEnvironmentByName(repo, deployment.environment);
  if (!environment) return { kind: 'ignore', reason: 'environment not in deploybot.yml' };
  if (environment.provider.type === 'external') {
    return { kind: 'ignore', reason: 'an external system carries out this environment' };
  }
  const lane = laneOf(repo.fullName, environment.name);
  const error = checkDeployTarget(deployment);
  return error
    ? { kind: 'refuse', repo, environment, lane, error }
    : { kind: 'run', repo, environment, lane };
}

/**
 * The environment a GitHub deployment names: by its configured name in any case, never by
 * an alias. Aliases are shorthands for people in chat; a deployment to `stg` made by some
 * other system is not a deployment to `staging`. Surrounding space still matches, so such a
 * name is refused with a clear error rather than silently ignored.
 */
export function findEnvironmentByName(repo: RepoConfig, name: string): EnvironmentConfig | undefined {
  const wanted = name.trim().toLowerCase();
  return repo.environments.find((environment) => environment.name.toLowerCase() === wanted);
}

/** A job's repository and environment as configured now; by exact name, as intake took it in. */
export function findDeployTarget(
  config: Config,
  job: { readonly repository: string; readonly environment: string },
): DeployTarget | undefined {
  const repo = findRepo(config, job.repository);
  const environment = repo && findEnvironmentByName(repo, job.environment);
  return repo && environment ? { repo, environment } : undefined;
}

/**
 * Checks every value that reaches git or a process. Returns the error to report, or
 * undefined when all are safe. Values are quoted with JSON so control characters show.
 */
export function checkDeployTarget(target: {
  readonly repository: string;
  readonly environment: string;
  readonly ref: string;
  readonly sha: string;
}): DeploybotError | undefined {
  const show = (value: string) => JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (!isRepoFullName(target.repository)) {
    return new DeploybotError('invalid_name', `repository ${show(target.repository)} is not a valid name`, {
      details: { field: 'repository' },
    });
  }
  if (!ENVIRONMENT_NAME.test(target.environment)) {
    return new DeploybotError(
      'invalid_name',
      `environment ${show(target.environment)} is not a valid environment name`,
      { details: { field: 'environment' } },
    );
  }
  if (!isFullSha(target.sha)) {
    return new DeploybotError(
      'invalid_ref',
      `sha ${show(target.sha)} is not a full 40-character commit sha`,
      {
        details: { field: 'sha' },
      },
    );
  }
  if (!isValidGitRef(target.ref)) {
    return new DeploybotError('invalid_ref', `ref ${show(target.ref)} is not a valid git ref`, {
      details: { field: 'ref' },
    });
  }
  return undefined;
}

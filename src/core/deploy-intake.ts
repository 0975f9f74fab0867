import { checkRef } from './command-text.js';
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
  /** When GitHub created it (ISO 8601, as GitHub gives it). */
  readonly createdAt?: string;
}

/** What intake weighs besides deploybot.yml: who deploybot is, and the time. */
export interface IntakeContext {
  /** deploybot's own GitHub login (`<slug>[bot]` for an App): its deployments always run. */
  readonly self: string;
  readonly now: number;
}

/** Older deployments are not run: a redelivered backlog after an outage never ships week-old code. */
export const MAX_DEPLOYMENT_AGE_MS = 24 * 60 * 60 * 1000;

export type Intake =
  | { readonly kind: 'ignore'; readonly reason: string }
  | {
      readonly kind: 'run' | 'refuse' | 'not_run';
      readonly repo: RepoConfig;
      readonly environment: EnvironmentConfig;
      readonly lane: string;
      /** Set for 'refuse': why the deployment must not touch git or a process. */
      readonly error?: DeploybotError;
      /** Set for 'not_run': why deploybot's rules did not let it run, as its status says after "not run: ". */
      readonly reason?: string;
    };

/**
 * Whether the deployer runs a deployment. Deployments of repositories and environments
 * not in deploybot.yml, and those another system carries out (`external`), are not
 * deploybot's. One that is deploybot's but names a hostile ref or sha is refused; one that
 * neither deploybot nor a trusted creator made, or that is over a day old, is not run.
 * Both get an `error` status and nothing runs.
 */
export function decideIntake(config: Config, deployment: IncomingDeployment, context: IntakeContext): Intake {
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
  if (error) return { kind: 'refuse', repo, environment, lane, error };
  const reason = judgeTrust(environment, deployment, context);
  return reason
    ? { kind: 'not_run', repo, environment, lane, reason }
    : { kind: 'run', repo, environment, lane };
}

/**
 * Why deploybot's rules do not let a deployment run, or undefined when they do. Anyone with
 * write access (or a token with `deployments: write`) can create a deployment; only those
 * deploybot made after its own checks, or made by a login the environment trusts, run code.
 */
export function judgeTrust(
  environment: EnvironmentConfig,
  deployment: Pick<IncomingDeployment, 'creator' | 'createdAt'>,
  context: IntakeContext,
): string | undefined {
  const creator = deployment.creator;
  const trusted =
    creator !== undefined &&
    [context.self, ...environment.trustedCreators].some(
      (login) => login.toLowerCase() === creator.toLowerCase(),
    );
  if (!trusted) {
    const who = creator === undefined || creator === '' ? 'an unknown account' : creator;
    return `created by ${who}, who is not among this environment's trusted_creators`;
  }
  const created = deployment.createdAt === undefined ? Number.NaN : Date.parse(deployment.createdAt);
  // A time GitHub did not give or deploybot cannot read is not taken as fresh.
  if (Number.isNaN(created)) return 'its creation time is unknown';
  const age = context.now - created;
  if (age > MAX_DEPLOYMENT_AGE_MS) return `created ${describeAge(age)} ago`;
  return undefined;
}

function describeAge(ms: number): string {
  const hours = Math.floor(ms / (60 * 60 * 1000));
  if (hours < 48) return `${hours} hours`;
  return `${Math.floor(hours / 24)} days`;
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
  // The rules of refs typed in chat too: no shell metacharacters, nothing git reads as an option.
  if (!isValidGitRef(target.ref) || !checkRef(target.ref).ok) {
    return new DeploybotError('invalid_ref', `ref ${show(target.ref)} is not a valid git ref`, {
      details: { field: 'ref' },
    });
  }
  return undefined;
}

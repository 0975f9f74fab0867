import { buildLogUrl } from './deploy-log-url.js';
import { readDeployUser, readPayloadObject } from './payload.js';
import type { DeployJob } from './ports/deploy-job-store.js';

/** What a deploy script or endpoint is told about the deployment it carries out. */
export interface DeployFacts {
  readonly id: number;
  readonly repository: string;
  readonly ref: string;
  readonly sha: string;
  readonly environment: string;
  readonly task: string;
  readonly user: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly logUrl: string;
}

/** The two variables taken from deploybot's own environment; nothing else of it reaches a script. */
export interface HostEnv {
  readonly path: string;
  readonly home: string;
}

/**
 * The whole environment of a deploy script. The provider's `env` comes first so the
 * deployer's own variables win even if a config slipped past validation.
 */
export function buildScriptEnv(
  facts: DeployFacts,
  host: HostEnv,
  providerEnv: Readonly<Record<string, string>>,
): Record<string, string> {
  return {
    ...providerEnv,
    PATH: host.path,
    HOME: host.home,
    DEPLOY_ID: String(facts.id),
    DEPLOY_REPO: facts.repository,
    DEPLOY_REF: facts.ref,
    DEPLOY_SHA: facts.sha,
    DEPLOY_ENVIRONMENT: facts.environment,
    DEPLOY_TASK: facts.task,
    DEPLOY_USER: facts.user,
    DEPLOY_PAYLOAD: JSON.stringify(facts.payload),
    DEPLOY_LOG_URL: facts.logUrl,
    // The names Heaven gave them, so scripts written for Heaven run unchanged.
    BRANCH: facts.ref,
    SHA: facts.sha,
    DEPLOY_ENV: facts.environment,
  };
}

/** The JSON body POSTed to an http provider: the same facts a script gets. */
export function buildHttpDeployBody(facts: DeployFacts): Record<string, unknown> {
  return {
    id: facts.id,
    repository: facts.repository,
    ref: facts.ref,
    sha: facts.sha,
    environment: facts.environment,
    task: facts.task,
    user: facts.user,
    payload: facts.payload,
    log_url: facts.logUrl,
  };
}

/** Control characters cannot travel in an environment variable (NUL) or mislead a log reader. */
export function stripControlCharacters(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return text.replace(/[\u0000-\u001f\u007f]/g, '');
}

/** What GitHub recorded of a deployment beyond its ref and sha: who asked, for what, with what. */
export interface DeploymentRecord {
  readonly task: string | undefined;
  readonly creator: string | undefined;
  readonly payload: unknown;
}

/** The facts of a job's deploy, from the job and what GitHub recorded of its deployment. */
export function buildDeployFacts(job: DeployJob, record: DeploymentRecord, publicUrl: string): DeployFacts {
  const user = readDeployUser(record.payload) ?? record.creator ?? 'unknown';
  return {
    id: job.deploymentId,
    repository: job.repository,
    ref: job.ref,
    sha: job.sha,
    environment: job.environment,
    task: stripControlCharacters(record.task ?? 'deploy'),
    user: stripControlCharacters(user),
    payload: readPayloadObject(record.payload),
    logUrl: buildLogUrl(publicUrl, job.deploymentId, job.logToken),
  };
}

/** The first line of a deploy's log: what is deployed where, for whom. */
export function describeDeployStart(facts: DeployFacts): string {
  return `deploying ${facts.repository} ${facts.sha} (${facts.ref}) to ${facts.environment} for ${facts.user}`;
}

import type { EmitterWebhookEvent } from '@octokit/webhooks';
import {
  applyContext,
  copyExample,
  type DeploymentStatusState,
  deriveId,
  deriveSha,
  formatGitHubTime,
  GITHUB_API,
  type GitHubUser,
  type Json,
  type PayloadContext,
  resolveUser,
  retargetExample,
} from './payload-basics.js';

export type DeploymentCreatedPayload = EmitterWebhookEvent<'deployment.created'>['payload'];
export type DeploymentStatusCreatedPayload = EmitterWebhookEvent<'deployment_status.created'>['payload'];

/** Any field of GitHub's deployment object; `creator` may be given as a login. */
export interface DeploymentFields {
  id?: number;
  sha?: string;
  ref?: string;
  task?: string;
  payload?: unknown;
  environment?: string;
  description?: string | null;
  creator?: string | GitHubUser;
  [field: string]: unknown;
}

/** Any field of GitHub's deployment status object; `creator` may be given as a login. */
export interface DeploymentStatusFields {
  id?: number;
  state: DeploymentStatusState;
  description?: string;
  environment?: string;
  target_url?: string;
  log_url?: string;
  environment_url?: string;
  creator?: string | GitHubUser;
  [field: string]: unknown;
}

function buildDeploymentObject(
  repo: string,
  fields: DeploymentFields,
  defaultBranch: string,
  api: string,
): Json {
  const example = retargetExample(copyExample('deployment').deployment as Json, repo, api);
  const ref = fields.ref ?? defaultBranch;
  const id = fields.id ?? deriveId(`deployment:${repo}:${ref}:${Date.now()}`);
  const url = `${api}/repos/${repo}/deployments/${id}`;
  const environment = fields.environment ?? 'production';
  const now = formatGitHubTime();
  return {
    ...example,
    url,
    id,
    node_id: Buffer.from(`010:Deployment${id}`).toString('base64'),
    sha: deriveSha(`${repo}:${ref}`),
    ref,
    task: 'deploy',
    payload: {},
    original_environment: environment,
    environment,
    description: null,
    created_at: now,
    updated_at: now,
    statuses_url: `${url}/statuses`,
    repository_url: `${api}/repos/${repo}`,
    transient_environment: false,
    production_environment: environment === 'production',
    performed_via_github_app: null,
    ...fields,
    creator: resolveUser(fields.creator, 'octocat', api),
  };
}

export interface DeploymentPayloadOptions extends PayloadContext {
  repo: string;
  deployment: DeploymentFields;
  /** Defaults to the deployment's creator. */
  sender?: string | GitHubUser;
}

export function buildDeploymentPayload(options: DeploymentPayloadOptions): DeploymentCreatedPayload {
  const api = options.apiUrl ?? GITHUB_API;
  const payload = retargetExample(copyExample('deployment'), options.repo, api);
  applyContext(payload, options.repo, options, api);
  const defaultBranch = (payload.repository as Json).default_branch as string;
  const deployment = buildDeploymentObject(options.repo, options.deployment, defaultBranch, api);
  payload.action = 'created';
  payload.deployment = deployment;
  payload.sender = resolveUser(options.sender, (deployment.creator as GitHubUser).login, api);
  return payload as unknown as DeploymentCreatedPayload;
}

export interface DeploymentStatusPayloadOptions extends PayloadContext {
  repo: string;
  deployment: DeploymentFields;
  status: DeploymentStatusFields;
  /** Defaults to the status's creator. */
  sender?: string | GitHubUser;
}

export function buildDeploymentStatusPayload(
  options: DeploymentStatusPayloadOptions,
): DeploymentStatusCreatedPayload {
  const api = options.apiUrl ?? GITHUB_API;
  // The plain example: no check_run/workflow_run, as for a status posted through the REST API.
  const payload = retargetExample(
    copyExample('deployment_status', (example) => example.workflow_run === undefined),
    options.repo,
    api,
  );
  applyContext(payload, options.repo, options, api);
  const defaultBranch = (payload.repository as Json).default_branch as string;
  const deployment = buildDeploymentObject(options.repo, options.deployment, defaultBranch, api);
  const { status } = options;
  const id = status.id ?? deriveId(`status:${deployment.url}:${status.state}:${Date.now()}`);
  const logUrl = status.log_url ?? status.target_url ?? '';
  const now = formatGitHubTime();
  const deploymentStatus = {
    ...(payload.deployment_status as Json),
    url: `${deployment.url}/statuses/${id}`,
    id,
    node_id: Buffer.from(`016:DeploymentStatus${id}`).toString('base64'),
    description: '',
    environment: deployment.environment,
    target_url: logUrl,
    log_url: logUrl,
    environment_url: '',
    created_at: now,
    updated_at: now,
    deployment_url: deployment.url,
    repository_url: `${api}/repos/${options.repo}`,
    performed_via_github_app: null,
    ...status,
    creator: resolveUser(status.creator, 'octocat', api),
  };
  payload.action = 'created';
  payload.deployment_status = deploymentStatus;
  payload.deployment = deployment;
  payload.sender = resolveUser(options.sender, deploymentStatus.creator.login, api);
  return payload as unknown as DeploymentStatusCreatedPayload;
}

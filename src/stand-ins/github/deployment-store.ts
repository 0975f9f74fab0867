import type { OpenApiValidators } from './openapi-validators.js';
import {
  buildUser,
  type DeploymentStatusState,
  formatGitHubTime,
  type GitHubUser,
} from './payload-basics.js';
import type { RepositoryRecord } from './repository-state.js';

/** A deployment exactly as GitHub's REST API returns it. */
export interface StoredDeployment {
  url: string;
  id: number;
  node_id: string;
  sha: string;
  ref: string;
  task: string;
  payload: Record<string, unknown> | string;
  original_environment: string;
  environment: string;
  description: string | null;
  creator: GitHubUser;
  created_at: string;
  updated_at: string;
  statuses_url: string;
  repository_url: string;
  transient_environment: boolean;
  production_environment: boolean;
  performed_via_github_app: null;
}

/** A deployment status exactly as GitHub's REST API returns it. */
export interface StoredStatus {
  url: string;
  id: number;
  node_id: string;
  state: DeploymentStatusState;
  creator: GitHubUser;
  description: string;
  environment: string;
  target_url: string;
  log_url: string;
  environment_url: string;
  created_at: string;
  updated_at: string;
  deployment_url: string;
  repository_url: string;
  performed_via_github_app: null;
}

export interface NewDeployment {
  sha: string;
  ref: string;
  task?: string | undefined;
  payload?: unknown;
  environment?: string | undefined;
  description?: string | null | undefined;
  transient_environment?: boolean | undefined;
  production_environment?: boolean | undefined;
  creator: string;
}

export interface NewStatus {
  state: DeploymentStatusState;
  description?: string;
  environment?: string;
  target_url?: string;
  log_url?: string;
  environment_url?: string;
  auto_inactive?: boolean;
  creator: string;
}

interface DeploymentEntry {
  repository: RepositoryRecord;
  deployment: StoredDeployment;
  statuses: StoredStatus[];
}

/** A string payload is JSON text to GitHub; keep it as text only when it is not a JSON object. */
function parsePayload(payload: unknown): Record<string, unknown> | string {
  if (payload === undefined || payload === '') return {};
  if (typeof payload !== 'string') return payload as Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(payload);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : payload;
  } catch {
    return payload;
  }
}

export class DeploymentStore {
  private readonly entries = new Map<number, DeploymentEntry>();
  private nextDeploymentId = 1000;
  private nextStatusId = 5000;
  private readonly statusListeners = new Set<(status: StoredStatus, deploymentId: number) => void>();
  private readonly pendingWaits = new Set<(reason: string) => void>();

  constructor(
    private readonly apiUrl: () => string,
    private readonly validators: OpenApiValidators,
    private readonly reportSchemaError: (message: string) => void,
  ) {}

  createDeployment(repository: RepositoryRecord, input: NewDeployment): StoredDeployment {
    const id = this.nextDeploymentId++;
    const repositoryUrl = `${this.apiUrl()}/repos/${repository.fullName}`;
    const url = `${repositoryUrl}/deployments/${id}`;
    const environment = input.environment ?? 'production';
    const now = formatGitHubTime();
    const deployment: StoredDeployment = {
      url,
      id,
      node_id: Buffer.from(`010:Deployment${id}`).toString('base64'),
      sha: input.sha,
      ref: input.ref,
      task: input.task ?? 'deploy',
      payload: parsePayload(input.payload),
      original_environment: environment,
      environment,
      description: input.description ?? null,
      creator: buildUser(input.creator, this.apiUrl()),
      created_at: now,
      updated_at: now,
      statuses_url: `${url}/statuses`,
      repository_url: repositoryUrl,
      transient_environment: input.transient_environment ?? false,
      production_environment: input.production_environment ?? environment === 'production',
      performed_via_github_app: null,
    };
    this.checkHonesty('deployment', this.validators.checkDeploymentResponse(deployment));
    this.entries.set(id, { repository, deployment, statuses: [] });
    return deployment;
  }

  /** Stores a status plus, for a success, the `inactive` statuses GitHub adds to prior deployments. */
  createStatus(deploymentId: number, input: NewStatus): StoredStatus {
    const entry = this.requireEntry(deploymentId);
    const { deployment } = entry;
    const environment = input.environment ?? entry.statuses.at(-1)?.environment ?? deployment.environment;
    // A status may move a deployment to another environment; `original_environment` keeps the first.
    deployment.environment = environment;
    const status = this.appendStatus(entry, input.state, input, environment);
    if (input.state === 'success' && input.auto_inactive !== false) {
      for (const other of this.entries.values()) {
        const retire =
          // Prior ones only: a late success of an older deployment leaves newer ones alone.
          other.deployment.id < deployment.id &&
          other.repository === entry.repository &&
          other.deployment.environment === environment &&
          other.statuses.at(-1)?.state === 'success';
        if (retire) this.appendStatus(other, 'inactive', { creator: input.creator }, environment);
      }
    }
    return status;
  }

  private appendStatus(
    entry: DeploymentEntry,
    state: DeploymentStatusState,
    input: Omit<NewStatus, 'state'>,
    environment: string,
  ): StoredStatus {
    const id = this.nextStatusId++;
    const now = formatGitHubTime();
    // GitHub mirrors log_url into target_url (and back) so old and new clients see the same link.
    const logUrl = input.log_url ?? input.target_url ?? '';
    const status: StoredStatus = {
      url: `${entry.deployment.url}/statuses/${id}`,
      id,
      node_id: Buffer.from(`016:DeploymentStatus${id}`).toString('base64'),
      state,
      creator: buildUser(input.creator, this.apiUrl()),
      description: input.description ?? '',
      environment,
      target_url: logUrl,
      log_url: logUrl,
      environment_url: input.environment_url ?? '',
      created_at: now,
      updated_at: now,
      deployment_url: entry.deployment.url,
      repository_url: entry.deployment.repository_url,
      performed_via_github_app: null,
    };
    this.checkHonesty('deployment status', this.validators.checkDeploymentStatusResponse(status));
    entry.statuses.push(status);
    entry.deployment.updated_at = now;
    for (const listener of this.statusListeners) listener(status, entry.deployment.id);
    return status;
  }

  findDeployment(repository: RepositoryRecord, id: number): StoredDeployment | undefined {
    const entry = this.entries.get(id);
    return entry?.repository === repository ? entry.deployment : undefined;
  }

  requireEntry(deploymentId: number): DeploymentEntry {
    const entry = this.entries.get(deploymentId);
    if (!entry) throw new Error(`The GitHub stand-in has no deployment ${deploymentId}`);
    return entry;
  }

  /** Oldest first; the REST routes reverse it. */
  listDeployments(repository?: RepositoryRecord): StoredDeployment[] {
    return [...this.entries.values()]
      .filter((entry) => repository === undefined || entry.repository === repository)
      .map((entry) => entry.deployment);
  }

  /** Oldest first; the REST routes reverse it. */
  listStatuses(deploymentId: number): StoredStatus[] {
    return this.entries.get(deploymentId)?.statuses ?? [];
  }

  /** Resolves with the first status of `deploymentId` in `state`, whether it exists already or comes later. */
  waitForStatus(
    deploymentId: number,
    state: DeploymentStatusState,
    timeoutMs: number,
    explainTimeout: () => string,
  ): Promise<StoredStatus> {
    const existing = this.listStatuses(deploymentId).find((status) => status.state === state);
    if (existing) return Promise.resolve(structuredClone(existing));
    return new Promise<StoredStatus>((resolve, reject) => {
      const finish = (settle: () => void) => {
        this.statusListeners.delete(listener);
        this.pendingWaits.delete(cancel);
        clearTimeout(timer);
        settle();
      };
      const cancel = (reason: string) => finish(() => reject(new Error(reason)));
      const listener = (status: StoredStatus, id: number) => {
        if (id === deploymentId && status.state === state) finish(() => resolve(structuredClone(status)));
      };
      const timer = setTimeout(() => cancel(explainTimeout()), timeoutMs);
      this.statusListeners.add(listener);
      this.pendingWaits.add(cancel);
    });
  }

  rejectWaits(reason: string): void {
    for (const cancel of [...this.pendingWaits]) cancel(reason);
  }

  private checkHonesty(what: string, check: { valid: boolean; messages: string[] }): void {
    if (!check.valid) this.reportSchemaError(`stand-in ${what} response: ${check.messages.join('; ')}`);
  }
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { deploymentRoutes } from './github/deployment-routes.js';
import { DeploymentStore, type StoredDeployment, type StoredStatus } from './github/deployment-store.js';
import {
  FaultInjector,
  type FaultResponse,
  RateLimiter,
  type Reply,
  type RequestMatch,
  readRequest,
  writeReply,
} from './github/http-exchange.js';
import { loadOpenApiValidators } from './github/openapi-validators.js';
import { type DeploymentStatusState, deriveId, formatGitHubTime } from './github/payload-basics.js';
import { repositoryRoutes } from './github/repository-routes.js';
import {
  type CheckRunConclusion,
  type CheckRunStatus,
  type CommitStatusState,
  normalizeRef,
  type RepositoryRecord,
  resolveRef,
} from './github/repository-state.js';
import { describeRequest, type RecordedRequest, RequestLog, type WaitOptions } from './github/request-log.js';
import { DOCS, replyError, routeRequest, type StandInCore } from './github/rest-kit.js';
import type {
  AddCommitInput,
  DirectDeploymentInput,
  DirectStatusInput,
  GitHubStandIn,
  GitHubStandInOptions,
} from './github/stand-in-types.js';
import type { SentWebhook, WebhookResult, WebhookSendOptions } from './github/webhook-delivery.js';
import { WebhookOutbox } from './github/webhook-outbox.js';

export type { StoredDeployment, StoredStatus } from './github/deployment-store.js';
export type { FaultResponse, RequestMatch } from './github/http-exchange.js';
export type { RecordedRequest, WaitOptions } from './github/request-log.js';
export type * from './github/stand-in-types.js';
export type { SentWebhook, WebhookResult, WebhookSendOptions } from './github/webhook-delivery.js';
export { signWebhookBody, verifyWebhookSignature } from './github/webhook-delivery.js';

const ROUTES = [...repositoryRoutes, ...deploymentRoutes];
const AUTHORIZATION = /^(?:token|bearer)\s+(.+)$/i;

class RunningStandIn implements GitHubStandIn {
  url = '';
  webhookUrl: string | undefined;
  readonly schemaErrors: string[] = [];
  private readonly server: Server;
  private readonly log = new RequestLog();
  private readonly faults = new FaultInjector();
  private readonly rateLimiter = new RateLimiter();
  private readonly repositories = new Map<string, RepositoryRecord>();
  private readonly store: DeploymentStore;
  private readonly core: StandInCore;
  private readonly outbox: WebhookOutbox;
  private nextStatusContextId = 9000;

  constructor(private readonly options: GitHubStandInOptions) {
    this.webhookUrl = options.webhookUrl;
    this.outbox = new WebhookOutbox({
      webhookUrl: () => this.webhookUrl,
      secret: options.webhookSecret,
      installationId: options.installationId,
      apiUrl: () => this.url,
    });
    const validators = loadOpenApiValidators();
    const recordSchemaError = (message: string) => this.schemaErrors.push(message);
    this.store = new DeploymentStore(() => this.url, validators, recordSchemaError);
    this.core = {
      apiUrl: () => this.url,
      login: options.login ?? 'deploybot[bot]',
      findRepository: (owner, name) => this.repositories.get(`${owner}/${name}`.toLowerCase()),
      store: this.store,
      validators,
      recordSchemaError,
      describeRateLimit: () => this.rateLimiter.describe(),
      announceDeployment: (repository, deployment) => this.outbox.announceDeployment(repository, deployment),
      announceStatus: (repository, deployment, status) =>
        this.outbox.announceStatus(repository, deployment, status),
    };
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  get requests(): RecordedRequest[] {
    return this.log.requests;
  }

  get sentWebhooks(): SentWebhook[] {
    return this.outbox.sent;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const request = await readRequest(incoming);
      this.log.record(request);
      const delayMs = this.faults.takeDelay(request.method, request.path);
      if (delayMs > 0) await sleep(delayMs);
      const reply = this.answer(request);
      writeReply(response, reply, this.rateLimiter.consume());
      this.log.markAnswered(request, reply.status);
    } catch {
      // The client went away mid-request (e.g. it timed out during a delay); nothing left to answer.
      response.destroy();
    }
  }

  private answer(request: RecordedRequest): Reply {
    const fault = this.faults.takeFailure(request.method, request.path);
    if (fault) return fault;
    if (!this.isAuthorized(request.headers.authorization)) return replyError(401, 'Bad credentials', DOCS);
    try {
      return routeRequest(ROUTES, this.core, request);
    } catch (error) {
      // Surface stand-in bugs as a loud 500 with the reason, rather than a hung request.
      return { status: 500, body: { message: `GitHub stand-in failed: ${String(error)}` } };
    }
  }

  private isAuthorized(header: string | undefined): boolean {
    if (this.options.token === undefined) return true;
    return AUTHORIZATION.exec(header ?? '')?.[1] === this.options.token;
  }

  private requireRepository(fullName: string): RepositoryRecord {
    const repository = this.repositories.get(fullName.toLowerCase());
    if (!repository) throw new Error(`GitHub stand-in: call addRepository('${fullName}') first`);
    return repository;
  }

  addRepository(fullName: string, options: { defaultBranch?: string; private?: boolean } = {}): void {
    const existing = this.repositories.get(fullName.toLowerCase());
    if (existing) {
      existing.defaultBranch = options.defaultBranch ?? existing.defaultBranch;
      existing.private = options.private ?? existing.private;
      return;
    }
    this.repositories.set(fullName.toLowerCase(), {
      fullName,
      id: deriveId(`repo:${fullName.toLowerCase()}`),
      defaultBranch: options.defaultBranch ?? 'main',
      private: options.private ?? false,
      refs: new Map(),
      behind: new Map(),
      commits: [],
      knownShas: new Set(),
      statuses: [],
      checkRuns: [],
    });
  }

  setRef(fullName: string, ref: string, sha: string): void {
    const repository = this.requireRepository(fullName);
    repository.refs.set(normalizeRef(ref), sha.toLowerCase());
    repository.knownShas.add(sha.toLowerCase());
  }

  setBehind(fullName: string, ref: string, behind: boolean | 'conflict'): void {
    this.requireRepository(fullName).behind.set(normalizeRef(ref), behind);
  }

  setCommitStatus(fullName: string, sha: string, context: string, state: CommitStatusState): void {
    const repository = this.requireRepository(fullName);
    const resolved = resolveRef(repository, sha) ?? sha.toLowerCase();
    const id = this.nextStatusContextId++;
    repository.statuses.push({ id, sha: resolved, context, state, created_at: formatGitHubTime() });
  }

  setCheckRun(
    fullName: string,
    sha: string,
    name: string,
    status: CheckRunStatus,
    conclusion?: CheckRunConclusion,
  ): void {
    const repository = this.requireRepository(fullName);
    const completed = status === 'completed';
    const now = formatGitHubTime();
    repository.checkRuns.push({
      id: this.nextStatusContextId++,
      sha: resolveRef(repository, sha) ?? sha.toLowerCase(),
      name,
      status,
      conclusion: completed ? (conclusion ?? 'success') : null,
      started_at: now,
      completed_at: completed ? now : null,
    });
  }

  addCommit(fullName: string, sha: string, commit: AddCommitInput): void {
    const repository = this.requireRepository(fullName);
    const record = { sha: sha.toLowerCase(), ...commit, date: commit.date ?? formatGitHubTime() };
    const index = repository.commits.findIndex((existing) => existing.sha === record.sha);
    if (index >= 0) repository.commits[index] = record;
    else repository.commits.push(record);
    repository.knownShas.add(record.sha);
  }

  failNext(match: RequestMatch, response: FaultResponse, times = 1): void {
    this.faults.addFailure(match, response, times);
  }

  delay(match: RequestMatch, ms: number, times = Number.POSITIVE_INFINITY): void {
    this.faults.addDelay(match, ms, times);
  }

  deployments(fullName?: string): StoredDeployment[] {
    const repository = fullName === undefined ? undefined : this.requireRepository(fullName);
    return structuredClone(this.store.listDeployments(repository));
  }

  statuses(deploymentId: number): StoredStatus[] {
    return structuredClone(this.store.listStatuses(deploymentId));
  }

  createDeploymentDirectly(fullName: string, input: DirectDeploymentInput): StoredDeployment {
    const repository = this.requireRepository(fullName);
    const sha = input.sha?.toLowerCase() ?? resolveRef(repository, input.ref);
    if (!sha)
      throw new Error(`GitHub stand-in: "${input.ref}" resolves to no sha in ${fullName}; call setRef`);
    repository.knownShas.add(sha);
    const deployment = this.store.createDeployment(repository, {
      ...input,
      sha,
      creator: input.creator ?? 'octocat',
    });
    this.outbox.announceDeployment(repository, deployment);
    return structuredClone(deployment);
  }

  createStatusDirectly(deploymentId: number, input: DirectStatusInput): StoredStatus {
    const { repository, deployment } = this.store.requireEntry(deploymentId);
    const status = this.store.createStatus(deploymentId, { ...input, creator: input.creator ?? 'octocat' });
    this.outbox.announceStatus(repository, deployment, status);
    return structuredClone(status);
  }

  sendWebhook(event: string, payload: unknown, options?: WebhookSendOptions): Promise<WebhookResult> {
    return this.outbox.send(event, payload, options);
  }

  flushWebhooks(): Promise<void> {
    return this.outbox.flush();
  }

  waitForRequest(predicate: (request: RecordedRequest) => boolean, options?: WaitOptions) {
    return this.log.waitFor(predicate, options);
  }

  waitForStatus(deploymentId: number, state: DeploymentStatusState, options: WaitOptions = {}) {
    const timeoutMs = options.timeoutMs ?? 5000;
    const explain = () => this.explainStatusTimeout(deploymentId, state, timeoutMs, options);
    return this.store.waitForStatus(deploymentId, state, timeoutMs, explain);
  }

  private explainStatusTimeout(id: number, state: string, timeoutMs: number, options: WaitOptions): string {
    const what = options.description ?? `deployment ${id} to get a "${state}" status`;
    const states = this.store.listStatuses(id).map((status) => status.state);
    const requests = this.log.requests.map((request) => `  ${describeRequest(request)}`).join('\n');
    return (
      `GitHub stand-in: timed out after ${timeoutMs} ms waiting for ${what}.\n` +
      `Statuses of deployment ${id}: ${states.join(', ') || '(none)'}\nRequests seen:\n${requests || '  (none)'}`
    );
  }

  async close(): Promise<void> {
    this.log.rejectAll('GitHub stand-in closed while waiting for a request');
    this.store.rejectWaits('GitHub stand-in closed while waiting for a status');
    await this.outbox.flush();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // Octokit keeps connections alive; without this, close() would wait for them to idle out.
      this.server.closeAllConnections();
    });
  }
}

/** Starts a GitHub REST API stand-in on 127.0.0.1 with a random port. Close it in afterAll/afterEach. */
export async function startGitHubStandIn(options: GitHubStandInOptions = {}): Promise<GitHubStandIn> {
  const standIn = new RunningStandIn(options);
  await standIn.listen();
  return standIn;
}

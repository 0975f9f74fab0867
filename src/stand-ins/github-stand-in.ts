import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CreateAppInput, InstallAppInput, StandInApp } from './github/app-registry.js';
import { appRoutes } from './github/app-routes.js';
import { deploymentRoutes } from './github/deployment-routes.js';
import { DeploymentStore, type StoredDeployment, type StoredStatus } from './github/deployment-store.js';
import { ENTERPRISE_API_PREFIX, FrontDoor } from './github/front-door.js';
import { answerClone, gitPasswordOf, matchCloneRequest } from './github/git-clones.js';
import {
  FaultInjector,
  type FaultResponse,
  RateLimiter,
  type Reply,
  type RequestMatch,
  readRequest,
  writeReply,
} from './github/http-exchange.js';
import type { ReceivedManifest } from './github/manifest-pages.js';
import { loadOpenApiValidators } from './github/openapi-validators.js';
import { type DeploymentStatusState, GITHUB_WEB } from './github/payload-basics.js';
import { RepositoryBook } from './github/repository-book.js';
import { repositoryRoutes } from './github/repository-routes.js';
import {
  type CheckRunConclusion,
  type CheckRunStatus,
  type CommitStatusState,
  resolveRef,
} from './github/repository-state.js';
import { type RecordedRequest, RequestLog, type WaitOptions } from './github/request-log.js';
import { routeRequest, type StandInCore } from './github/rest-kit.js';
import { createStandInCore } from './github/stand-in-core.js';
import type {
  AddCommitInput,
  CloneSource,
  DirectDeploymentInput,
  DirectStatusInput,
  GitHubStandIn,
  GitHubStandInOptions,
} from './github/stand-in-types.js';
import { explainStatusTimeout } from './github/status-waits.js';
import type { SentWebhook, WebhookResult, WebhookSendOptions } from './github/webhook-delivery.js';
import { WebhookOutbox } from './github/webhook-outbox.js';

export type {
  CreateAppInput,
  InstallAppInput,
  Permissions,
  StandInApp,
  StandInInstallation,
} from './github/app-registry.js';
export { DEPLOYBOT_APP_PERMISSIONS } from './github/app-registry.js';
export type { StoredDeployment, StoredStatus } from './github/deployment-store.js';
export type { FaultResponse, RequestMatch } from './github/http-exchange.js';
export type { ReceivedManifest } from './github/manifest-pages.js';
export type { RecordedRequest, WaitOptions } from './github/request-log.js';
export type * from './github/stand-in-types.js';
export type { SentWebhook, WebhookResult, WebhookSendOptions } from './github/webhook-delivery.js';
export { signWebhookBody, verifyWebhookSignature } from './github/webhook-delivery.js';

const ROUTES = [...appRoutes, ...repositoryRoutes, ...deploymentRoutes];

class RunningStandIn implements GitHubStandIn {
  url = '';
  webUrl = GITHUB_WEB;
  webhookUrl: string | undefined;
  readonly schemaErrors: string[] = [];
  private readonly door: FrontDoor;
  private readonly server: Server;
  private readonly log = new RequestLog();
  private readonly faults = new FaultInjector();
  private readonly rateLimiter = new RateLimiter();
  private readonly book = new RepositoryBook();
  private readonly store: DeploymentStore;
  private readonly core: StandInCore;
  private readonly outbox: WebhookOutbox;
  private readonly clones = new Map<string, CloneSource>();

  constructor(private readonly options: GitHubStandInOptions) {
    this.webhookUrl = options.webhookUrl;
    const recordSchemaError = (message: string) => this.schemaErrors.push(message);
    this.door = new FrontDoor({
      token: options.token,
      tokenPermissions: options.tokenPermissions,
      tokenScopes: options.tokenScopes,
      tokenLifetimeMs: options.tokenLifetimeMs,
      now: options.now ?? Date.now,
      enterprise: options.enterprise ?? false,
      webUrl: () => this.webUrl,
      recordSchemaError,
    });
    this.outbox = new WebhookOutbox({
      webhookUrl: () => this.webhookUrl,
      secret: options.webhookSecret,
      installationId: options.installationId,
      apiUrl: () => this.url,
      webUrl: () => this.webUrl,
    });
    const validators = loadOpenApiValidators();
    this.store = new DeploymentStore(() => this.url, validators, recordSchemaError);
    this.core = createStandInCore({
      apiUrl: () => this.url,
      webUrl: () => this.webUrl,
      login: options.login ?? 'deploybot[bot]',
      door: this.door,
      book: this.book,
      store: this.store,
      validators,
      recordSchemaError,
      rateLimiter: this.rateLimiter,
      outbox: this.outbox,
    });
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  get receivedManifests(): ReceivedManifest[] {
    return this.door.receivedManifests;
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
    const origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.url = this.options.enterprise ? `${origin}${ENTERPRISE_API_PREFIX}` : origin;
    if (this.options.enterprise) this.webUrl = origin;
  }

  private async handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const clone = matchCloneRequest(incoming.method, incoming.url);
    const source = clone && this.clones.get(clone.fullName.toLowerCase());
    if (clone && source) {
      // git's smart HTTP, as GitHub answers it: a token (the stand-in's or an installation's) as the password.
      const admitted = this.door.admitsGitPassword(gitPasswordOf(incoming), clone.fullName);
      answerClone(
        incoming,
        response,
        admitted ? { clone, bareDir: source.bareDir, path: source.path } : undefined,
      );
      return;
    }
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
    let reply: Reply;
    try {
      reply = this.door.answer(request, (call) => routeRequest(ROUTES, this.core, call));
    } catch (error) {
      // Surface stand-in bugs as a loud 500 with the reason, rather than a hung request.
      return { status: 500, body: { message: `GitHub stand-in failed: ${String(error)}` } };
    }
    return this.faults.takeLostReply(request.method, request.path) ?? reply;
  }

  createApp(input?: CreateAppInput): StandInApp {
    return { ...this.door.apps.createApp(input) };
  }

  installApp(appId: number, account: string, input?: InstallAppInput): number {
    return this.door.apps.install(appId, account, input).id;
  }

  uninstallApp(installationId: number): void {
    this.door.apps.uninstall(installationId);
  }

  get apps(): StandInApp[] {
    return this.door.apps.listApps().map((app) => ({ ...app }));
  }

  serveClones(fullName: string, source: CloneSource): void {
    this.book.require(fullName);
    this.clones.set(fullName.toLowerCase(), { ...source });
  }

  addRepository(fullName: string, options: { defaultBranch?: string; private?: boolean } = {}): void {
    this.book.add(fullName, options);
  }

  setRef(fullName: string, ref: string, sha: string): void {
    this.book.setRef(fullName, ref, sha);
  }

  setBehind(fullName: string, ref: string, behind: boolean | 'conflict'): void {
    this.book.setBehind(fullName, ref, behind);
  }

  setCommitStatus(fullName: string, sha: string, context: string, state: CommitStatusState): void {
    this.book.setCommitStatus(fullName, sha, context, state);
  }

  setCheckRun(
    fullName: string,
    sha: string,
    name: string,
    status: CheckRunStatus,
    conclusion?: CheckRunConclusion,
  ): void {
    this.book.setCheckRun(fullName, sha, name, status, conclusion);
  }

  addCommit(fullName: string, sha: string, commit: AddCommitInput): void {
    this.book.addCommit(fullName, sha, commit);
  }

  failNext(match: RequestMatch, response: FaultResponse, times = 1): void {
    this.faults.addFailure(match, response, times);
  }

  loseNextReply(match: RequestMatch, response: FaultResponse, times = 1): void {
    this.faults.addLostReply(match, response, times);
  }

  delay(match: RequestMatch, ms: number, times = Number.POSITIVE_INFINITY): void {
    this.faults.addDelay(match, ms, times);
  }

  deployments(fullName?: string): StoredDeployment[] {
    const repository = fullName === undefined ? undefined : this.book.require(fullName);
    return structuredClone(this.store.listDeployments(repository));
  }

  statuses(deploymentId: number): StoredStatus[] {
    return structuredClone(this.store.listStatuses(deploymentId));
  }

  createDeploymentDirectly(fullName: string, input: DirectDeploymentInput): StoredDeployment {
    const repository = this.book.require(fullName);
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

  /** A status as another tool posts it; `webhook: false` is one whose webhook never reached deploybot. */
  createStatusDirectly(
    deploymentId: number,
    input: DirectStatusInput,
    options: { readonly webhook?: boolean } = {},
  ): StoredStatus {
    const { repository, deployment } = this.store.requireEntry(deploymentId);
    const status = this.store.createStatus(deploymentId, { ...input, creator: input.creator ?? 'octocat' });
    if (options.webhook !== false) this.outbox.announceStatus(repository, deployment, status);
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
    const explain = () =>
      explainStatusTimeout({ store: this.store, log: this.log }, deploymentId, state, timeoutMs, options);
    return this.store.waitForStatus(deploymentId, state, timeoutMs, explain);
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

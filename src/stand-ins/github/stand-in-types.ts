import type { CreateAppInput, InstallAppInput, Permissions, StandInApp } from './app-registry.js';
import type { StoredDeployment, StoredStatus } from './deployment-store.js';
import type { FaultResponse, RequestMatch } from './http-exchange.js';
import type { ReceivedManifest } from './manifest-pages.js';
import type { DeploymentStatusState } from './payload-basics.js';
import type {
  BehindState,
  CheckRunConclusion,
  CheckRunStatus,
  CommitStatusState,
} from './repository-state.js';
import type { RecordedRequest, WaitOptions } from './request-log.js';
import type { SentWebhook, WebhookResult, WebhookSendOptions } from './webhook-delivery.js';

export interface GitHubStandInOptions {
  /** When set, every request needs `Authorization: token X` or `Bearer X`; else 401 Bad credentials. */
  token?: string;
  /** Signs the webhooks the stand-in sends (X-Hub-Signature-256); unsigned when absent. */
  webhookSecret?: string;
  /** Where deployment / deployment_status webhooks go; can also be set later on the stand-in. */
  webhookUrl?: string;
  /** The user behind the token, creator of what deploybot creates. Default "deploybot[bot]". */
  login?: string;
  /** Adds `installation: {id}` to the webhooks the stand-in sends, as for a GitHub App. */
  installationId?: number;
  /**
   * Plays GitHub Enterprise Server: the API below `/api/v3` (`url` ends with it), web pages
   * and every html_url on the stand-in itself (`webUrl`) instead of https://github.com.
   */
  enterprise?: boolean;
  /** Makes `token` a classic token with these scopes, named in `x-oauth-scopes` on every answer. */
  tokenScopes?: string[];
  /**
   * Makes `token` a fine-grained token with these permissions (e.g. `{ deployments: 'read' }`):
   * calls needing more get GitHub's 403. Permissions not named are granted.
   */
  tokenPermissions?: Permissions;
  /** How long installation tokens live; GitHub's hour by default. */
  tokenLifetimeMs?: number;
  /** When installation tokens expire by; a test that moves deploybot's clock by hand passes it here too. */
  now?: () => number;
}

/** A bare git repository the stand-in serves for clones of a repository, at GitHub's `/{owner}/{name}.git`. */
export interface CloneSource {
  readonly bareDir: string;
  /** PATH for git's http-backend. */
  readonly path: string;
}

export interface AddCommitInput {
  message: string;
  /** A login; also used as the git author name. */
  author: string;
  /** ISO timestamp; defaults to now. */
  date?: string;
}

export interface DirectDeploymentInput {
  ref: string;
  /** Defaults to what `ref` resolves to; the call throws when it resolves to nothing. */
  sha?: string;
  environment: string;
  /** Default "octocat": someone other than deploybot. */
  creator?: string;
  payload?: unknown;
  task?: string;
  description?: string | null;
  transient_environment?: boolean;
  production_environment?: boolean;
}

export interface DirectStatusInput {
  state: DeploymentStatusState;
  log_url?: string;
  environment_url?: string;
  description?: string;
  environment?: string;
  auto_inactive?: boolean;
  /** Default "octocat": someone other than deploybot. */
  creator?: string;
}

export interface GitHubStandIn {
  /** e.g. http://127.0.0.1:PORT (…/api/v3 when `enterprise`); give it to deploybot as GITHUB_API_URL. */
  readonly url: string;
  /** https://github.com, or the stand-in's own origin when `enterprise`. */
  readonly webUrl: string;
  webhookUrl: string | undefined;
  /** Every request received, in arrival order, including rejected and faulted ones. */
  readonly requests: RecordedRequest[];
  /** Request bodies that failed the OpenAPI schema, and any response of the stand-in's own that did. */
  readonly schemaErrors: string[];
  readonly sentWebhooks: SentWebhook[];
  /** Manifests posted to the "new GitHub App" page (…/settings/apps/new), oldest first. */
  readonly receivedManifests: ReceivedManifest[];
  /** Every GitHub App registered, with its private key (copies). */
  readonly apps: StandInApp[];

  /** Registers a GitHub App (a fresh RSA key; deploybot's permissions unless told otherwise). */
  createApp(input?: CreateAppInput): StandInApp;
  /**
   * Installs an App on an account: on all its repositories, or on `repositories` only.
   * Returns the installation ID. Its tokens reach only those repositories, with its permissions.
   */
  installApp(appId: number, account: string, input?: InstallAppInput): number;
  /** Removes an installation; its tokens stop working. */
  uninstallApp(installationId: number): void;

  addRepository(fullName: string, options?: { defaultBranch?: string; private?: boolean }): void;
  /**
   * Serves clones and fetches of a known repository from `source.bareDir` over smart HTTP, at
   * `{origin}/{owner}/{name}.git`, where deploybot fetches a repository without clone_url
   * (its GitHub web URL, derived from the API URL). Needs the stand-in's token or an installation
   * token covering the repository as the Basic password, when the stand-in has a token.
   */
  serveClones(fullName: string, source: CloneSource): void;
  /** Points a branch or tag at `sha`; the sha itself becomes resolvable too. */
  setRef(fullName: string, ref: string, sha: string): void;
  /** Makes a branch "behind" the default branch, so deployments with auto_merge get GitHub's 202. */
  setBehind(fullName: string, ref: string, behind: BehindState): void;
  /** `sha` may also be a ref name set with setRef. The newest state per context counts. */
  setCommitStatus(fullName: string, sha: string, context: string, state: CommitStatusState): void;
  /** A completed run without a conclusion counts as success. The newest run per name counts. */
  setCheckRun(
    fullName: string,
    sha: string,
    name: string,
    status: CheckRunStatus,
    conclusion?: CheckRunConclusion,
  ): void;
  /** Appends to the repository's linear history, which compare slices. */
  addCommit(fullName: string, sha: string, commit: AddCommitInput): void;

  /** The next `times` (default 1) matching requests get `response` instead of normal handling. */
  failNext(match: RequestMatch, response: FaultResponse, times?: number): void;
  /**
   * The next `times` (default 1) matching requests are carried out as usual, their effects kept,
   * and answered `response`: a gateway that failed after GitHub took the request.
   */
  loseNextReply(match: RequestMatch, response: FaultResponse, times?: number): void;
  /** Matching requests are answered `ms` later; `times` defaults to every matching request. */
  delay(match: RequestMatch, ms: number, times?: number): void;

  /** Created deployments, oldest first (copies). */
  deployments(fullName?: string): StoredDeployment[];
  /** A deployment's statuses, oldest first (copies), including automatic `inactive` ones. */
  statuses(deploymentId: number): StoredStatus[];
  /** As if the GitHub UI, Actions or another tool created it; sends a `deployment` webhook. */
  createDeploymentDirectly(fullName: string, input: DirectDeploymentInput): StoredDeployment;
  /** As if another tool posted it; sends a `deployment_status` webhook unless `webhook: false`. */
  createStatusDirectly(
    deploymentId: number,
    input: DirectStatusInput,
    options?: { readonly webhook?: boolean },
  ): StoredStatus;

  /** Sends a webhook to webhookUrl now, signed like GitHub, and resolves with the receiver's answer. */
  sendWebhook(event: string, payload: unknown, options?: WebhookSendOptions): Promise<WebhookResult>;
  /** Resolves once every webhook the stand-in queued on its own has been delivered (or failed). */
  flushWebhooks(): Promise<void>;

  /**
   * Resolves with the first matching request once it has been answered, whether it came before
   * or after this call; rejects after `timeoutMs` (default 5000) listing every request seen.
   */
  waitForRequest(
    predicate: (request: RecordedRequest) => boolean,
    options?: WaitOptions,
  ): Promise<RecordedRequest>;
  /** Resolves with the first status of `deploymentId` in `state`, past or future; rejects on timeout. */
  waitForStatus(
    deploymentId: number,
    state: DeploymentStatusState,
    options?: WaitOptions,
  ): Promise<StoredStatus>;

  /** Waits for queued webhooks, then stops the server; pending waits are rejected. */
  close(): Promise<void>;
}

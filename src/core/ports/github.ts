import type { DeploymentState } from '../deployment-state.js';
import type { DeploymentRequest } from '../merge-deploy.js';

/** A repository as GitHub's API paths name it. */
export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
}

/** What deploybot keeps of GitHub's deployment object, from any endpoint that returns one. */
export interface CreatedDeployment {
  readonly id: number;
  readonly sha: string;
  readonly ref: string;
  readonly environment: string;
  readonly createdAt: string;
  readonly task: string;
  readonly payload: unknown;
  readonly creator?: string;
}

/** A deployment as GitHub lists it: what creating it returned, and its description. */
export interface ListedDeployment extends CreatedDeployment {
  readonly description?: string;
}

/** A deployment's newest status, with what announcing it needs. */
export interface LatestDeploymentStatus {
  readonly id: number;
  readonly state: DeploymentState;
  /** ISO 8601, as GitHub gives it. */
  readonly createdAt: string;
  readonly description?: string;
  readonly logUrl?: string;
  readonly environmentUrl?: string;
}

/** A deployment as GitHub lists it: no status, which GitHub keeps apart. */
export interface DeploymentRecord {
  readonly id: number;
  readonly sha: string;
  readonly ref: string;
  readonly environment: string;
  readonly deployer: string;
  readonly createdAt: number;
}

/** A deployment with what its latest status says (read-recent-deployments puts them together). */
export interface DeploymentSummary extends DeploymentRecord {
  /** The latest status; undefined when the deployment has none yet. */
  readonly state?: DeploymentState;
  readonly statusAt?: number;
  readonly logUrl?: string;
  readonly environmentUrl?: string;
}

/** What GitHub recorded about a deployment, beyond what creating it returned. */
export interface DeploymentDetails {
  readonly id: number;
  readonly sha: string;
  readonly ref: string;
  readonly environment: string;
  readonly task: string;
  readonly payload: unknown;
  readonly creator: string | undefined;
}

export interface CommitSummary {
  readonly sha: string;
  readonly title: string;
  readonly author: string;
}

export interface Comparison {
  readonly totalCommits: number;
  /** Commits of `base` that `head` lacks: a deploy of `head` would take them back. */
  readonly behindBy: number;
  readonly commits: readonly CommitSummary[];
  readonly htmlUrl: string;
}

export interface DeploymentStatusRequest {
  /** `owner/name`. */
  readonly repository: string;
  readonly deploymentId: number;
  readonly state: DeploymentState;
  /** At most GITHUB_STATUS_DESCRIPTION_MAX characters. */
  readonly description: string;
  readonly logUrl?: string;
  readonly environmentUrl?: string;
}

/**
 * Deployments on GitHub, the source of truth, as the flows need them. Refusals and outages
 * come back as DeploybotErrors with GitHub codes (`github_checks_failed` with
 * `details.contexts`, `github_no_such_ref`, `github_merge_conflict`, `github_auto_merged`,
 * the access and availability codes).
 */
export interface GitHubPort {
  getDefaultBranch(repo: RepoRef): Promise<string>;
  /** The commit a branch, tag or sha names. */
  resolveCommit(repo: RepoRef, ref: string): Promise<string>;
  /** The newest deploy task of `sha` to `environment`, if GitHub has one. */
  findDeployment(repo: RepoRef, sha: string, environment: string): Promise<CreatedDeployment | undefined>;
  createDeployment(request: DeploymentRequest): Promise<CreatedDeployment>;
  /** The newest deployments (of one environment, or all), newest first, in one call: no statuses. */
  listDeployments(
    repo: RepoRef,
    options: { readonly environment?: string; readonly limit: number },
  ): Promise<DeploymentRecord[]>;
  /**
   * The deployments of one environment created at or after `since` (epoch ms), newest first,
   * without their statuses: a call per hundred deployments, not one per deployment.
   */
  listRecentDeployments(
    repo: RepoRef,
    options: { readonly environment: string; readonly since: number },
  ): Promise<ListedDeployment[]>;
  /** A deployment's newest status, with the log of the newest status that has one; undefined if none. */
  getLatestDeploymentStatus(repo: RepoRef, deploymentId: number): Promise<LatestDeploymentStatus | undefined>;
  /** The states of a deployment's newest hundred statuses, newest first, in one call. */
  listDeploymentStates(repo: RepoRef, deploymentId: number): Promise<DeploymentState[]>;
  getDeployment(repository: string, deploymentId: number): Promise<DeploymentDetails>;
  /** What `head` adds on top of `base`, oldest commit first. */
  compareCommits(repo: RepoRef, base: string, head: string): Promise<Comparison>;
  createDeploymentStatus(request: DeploymentStatusRequest): Promise<{ id: number }>;
  /**
   * A token for git over HTTPS to fetch `repository` (`owner/name`): the token itself, or a
   * fresh token of the App's installation on that repository.
   */
  gitToken(repository: string): Promise<string>;
}

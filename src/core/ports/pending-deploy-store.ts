import type { DeploymentRequest } from '../merge-deploy.js';
/** A deployment waiting for its commit's required checks. */
export interface PendingDeploy {
  readonly id: string;
  readonly repository: string;
  readonly sha: string;
  readonly environment: string;
  readonly request: DeploymentRequest;
  readonly channel: string;
  readonly messageTs: string | undefined;
  readonly waitingFor: readonly string[];
  readonly createdAt: number;
}

export interface PendingDeployStore {
  savePendingDeploy(pending: PendingDeploy): Promise<void>;
  listPendingDeploys(repository: string, sha: string): Promise<PendingDeploy[]>;
  /** Every wait for CI of every repository, oldest first, at most `limit`: what reconciliation re-checks. */
  listAllPendingDeploys(limit: number): Promise<PendingDeploy[]>;
  /** Those bound for one environment, oldest first: what the App Home shows waiting for CI. */
  listPendingDeploysTo(repository: string, environment: string): Promise<PendingDeploy[]>;
  removePendingDeploy(id: string): Promise<void>;
}

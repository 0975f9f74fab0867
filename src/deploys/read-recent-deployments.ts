import { isSettledStatus, type KnownStatus, toKnownStatus } from '../core/known-status.js';
import type { DeploymentRecord, DeploymentSummary, GitHubPort, RepoRef } from '../core/ports/github.js';
import type { KnownStatusStore } from '../core/ports/known-status-store.js';

export interface ReadRecentDeploymentsOptions {
  readonly github: Pick<GitHubPort, 'listDeployments' | 'getLatestDeploymentStatus'>;
  readonly statuses: KnownStatusStore;
}

export interface RecentDeploymentsQuery {
  readonly environment?: string;
  readonly limit: number;
  /**
   * Stops at the first deployment, newest first, this holds for (and returns it last): `where`
   * wants only what runs now, so older deployments' statuses are never read.
   */
  readonly until?: (deployment: DeploymentSummary) => boolean;
}

/** The newest deployments with their latest statuses, newest first. */
export type ReadRecentDeployments = (
  repo: RepoRef,
  query: RecentDeploymentsQuery,
) => Promise<DeploymentSummary[]>;

/**
 * GitHub lists deployments without their statuses, one call each. A status deploybot has seen
 * end (every `deployment_status` webhook is remembered) is taken from the store; only the rest
 * are asked of GitHub, and remembered. So `where` costs one call per environment once warm.
 */
export function createReadRecentDeployments(options: ReadRecentDeploymentsOptions): ReadRecentDeployments {
  const { github, statuses } = options;

  async function readStatus(repo: RepoRef, id: number, known: KnownStatus | undefined) {
    if (isSettledStatus(known)) return known;
    const latest = await github.getLatestDeploymentStatus(repo, id);
    return latest === undefined ? known : toKnownStatus(`${repo.owner}/${repo.repo}`, id, latest);
  }

  return async (repo, query) => {
    const records = await github.listDeployments(repo, {
      ...(query.environment === undefined ? {} : { environment: query.environment }),
      limit: query.limit,
    });
    const known = await statuses.getKnownStatuses(records.map((d) => d.id));
    const read: KnownStatus[] = [];
    const summarize = async (record: DeploymentRecord) => {
      const before = known.get(record.id);
      const status = await readStatus(repo, record.id, before);
      if (status !== undefined && status !== before) read.push(status);
      return withStatus(record, status);
    };
    let summaries: DeploymentSummary[];
    if (query.until === undefined) {
      summaries = await Promise.all(records.map(summarize));
    } else {
      summaries = [];
      for (const record of records) {
        const summary = await summarize(record);
        summaries.push(summary);
        if (query.until(summary)) break;
      }
    }
    await statuses.rememberStatuses(read);
    return summaries;
  };
}

function withStatus(record: DeploymentRecord, status: KnownStatus | undefined): DeploymentSummary {
  if (status === undefined) return record;
  return {
    ...record,
    state: status.state,
    statusAt: status.createdAt,
    ...(status.logUrl === undefined ? {} : { logUrl: status.logUrl }),
    ...(status.environmentUrl === undefined ? {} : { environmentUrl: status.environmentUrl }),
  };
}

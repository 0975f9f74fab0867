import type { DeployJobStore } from '../core/ports/deploy-job-store.js';
import type { LogPort } from '../core/ports/log.js';
import type { DeployMetrics } from '../core/ports/metrics.js';

export interface ReportDeployEndOptions {
  readonly jobs: Pick<DeployJobStore, 'getDeployJob'>;
  readonly metrics: DeployMetrics | undefined;
}

/**
 * Tells the metrics of a job just recorded finished, as the store has it (its start and end
 * times are the store's). A metric is never worth failing a deploy for: a failed read is logged.
 */
export type ReportDeployEnd = (deploymentId: number, log: LogPort) => Promise<void>;

export function createReportDeployEnd(options: ReportDeployEndOptions): ReportDeployEnd {
  const { jobs, metrics } = options;
  return async (deploymentId, log) => {
    if (metrics === undefined) return;
    try {
      const job = await jobs.getDeployJob(deploymentId);
      if (job?.outcome === undefined) return;
      const ran = job.startedAt !== undefined && job.finishedAt !== undefined;
      metrics.deployEnded({
        repository: job.repository,
        environment: job.environment,
        state: job.outcome.state,
        durationMs: ran ? Math.max(0, (job.finishedAt ?? 0) - (job.startedAt ?? 0)) : undefined,
      });
    } catch (error) {
      log.warn({ err: error, deployment: deploymentId }, 'could not count the end of a deploy');
    }
  };
}

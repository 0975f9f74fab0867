import { describe, expect, it } from 'vitest';
import type { DeployJob } from '../../src/core/ports/deploy-job-store.js';
import type { DeployEnded } from '../../src/core/ports/metrics.js';
import { createReportDeployEnd } from '../../src/deploys/report-deploy-end.js';
import { createMemoryLog } from '../support/memory/memory-log.js';

const job = (fields: Partial<DeployJob>): DeployJob =>
  ({
    deploymentId: 1,
    repository: 'octo-org/web',
    environment: 'production',
    state: 'finished',
    outcome: { state: 'failure', description: 'exit 1' },
    ...fields,
  }) as DeployJob;

function reporterOver(found: DeployJob | undefined | Error) {
  const ended: DeployEnded[] = [];
  const report = createReportDeployEnd({
    jobs: {
      getDeployJob: async () => {
        if (found instanceof Error) throw found;
        return found;
      },
    },
    metrics: { deployEnded: (fact) => ended.push(fact) },
  });
  return { ended, report };
}

describe('reporting the end of a deploy to the metrics', () => {
  it.each<[string, Partial<DeployJob>, number | undefined]>([
    ['one that ran: how long it ran', { startedAt: 1_000, finishedAt: 91_000 }, 90_000],
    ['one cancelled while waiting: no duration', { startedAt: undefined, finishedAt: 5_000 }, undefined],
  ])('%s', async (_name, fields, durationMs) => {
    const { ended, report } = reporterOver(job(fields));
    await report(1, createMemoryLog());
    expect(ended).toEqual([
      { repository: 'octo-org/web', environment: 'production', state: 'failure', durationMs },
    ]);
  });

  it('tells nothing of a job without an outcome or not found', async () => {
    for (const found of [job({ outcome: undefined }), undefined]) {
      const { ended, report } = reporterOver(found);
      await report(1, createMemoryLog());
      expect(ended).toEqual([]);
    }
  });

  it('never fails the deploy when the store does not answer: it warns', async () => {
    const { ended, report } = reporterOver(new Error('database is locked'));
    const log = createMemoryLog();
    await expect(report(1, log)).resolves.toBeUndefined();
    expect(ended).toEqual([]);
    expect(log.messages('warn')).toEqual(['could not count the end of a deploy']);
  });
});

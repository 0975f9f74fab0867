import type { IncomingDeployment } from '../core/deploy-intake.js';
import type { CreatedDeployment } from '../core/ports/github.js';
import type { LogPort } from '../core/ports/log.js';
import type { Scheduler } from '../core/scheduler.js';

export interface SubmitCreatedDeploymentOptions {
  /** Takes the deployment in: the deployer's submit. */
  readonly submit: (deployment: IncomingDeployment) => Promise<unknown>;
  readonly scheduler: Pick<Scheduler, 'sleep'>;
  readonly log: LogPort;
  /** The waits before each retry of a failed submit; once they are used up, it is given up. */
  readonly retryDelaysMs: readonly number[];
}

/** Tells the deployer of a deployment deploybot created; never throws. */
export type SubmitCreatedDeployment = (repository: string, created: CreatedDeployment) => Promise<void>;

/**
 * Hands the deployer a deployment deploybot just created. It never throws: the pull_request
 * delivery or chat command that created it would be retried and create a second one. The
 * deployment's own webhook may never come (deliveries get lost), so a failed submit is
 * retried here rather than left to it.
 */
export function createSubmitCreatedDeployment(
  options: SubmitCreatedDeploymentOptions,
): SubmitCreatedDeployment {
  const { log } = options;
  return async (repository, created) => {
    const deployment: IncomingDeployment = {
      repository,
      id: created.id,
      sha: created.sha,
      ref: created.ref,
      environment: created.environment,
      // Known from GitHub's answer: running it need not ask GitHub again.
      task: created.task,
      payload: created.payload,
      createdAt: created.createdAt,
      ...(created.creator === undefined ? {} : { creator: created.creator }),
    };
    for (let attempt = 0; ; attempt++) {
      try {
        await options.submit(deployment);
        return;
      } catch (error) {
        const delayMs = options.retryDelaysMs[attempt];
        const fields = { err: error, deployment: created.id, attempt: attempt + 1 };
        if (delayMs === undefined) {
          log.error(
            fields,
            'could not queue a deployment deploybot created; it runs only if its webhook comes',
          );
          return;
        }
        log.warn(
          { ...fields, retryInMs: delayMs },
          'could not queue a deployment deploybot created; retrying',
        );
        await options.scheduler.sleep(delayMs);
      }
    }
  };
}

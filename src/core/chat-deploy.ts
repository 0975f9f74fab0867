import type { EnvironmentConfig } from './config.js';
import { fitGitHubDescription } from './github-limits.js';
import type { DeploymentRequest } from './merge-deploy.js';

/** A deploy asked for in Slack, as decided before GitHub is asked; kept while a button is pending. */
export interface ChatDeployPlan {
  readonly repository: string;
  readonly owner: string;
  readonly repo: string;
  readonly environment: string;
  /** As typed, or the default branch. */
  readonly ref: string;
  /** The commit `ref` named when it was checked; what a confirmation showed. */
  readonly sha: string;
  readonly force: boolean;
  readonly rollback: boolean;
  /** Slack user ID of the asker. */
  readonly userId: string;
  /** GitHub login of the asker, else their Slack handle. */
  readonly deployUser: string;
  /** Where the deployment is announced. */
  readonly channel: string;
  readonly threadTs?: string;
  /** Whether the asker confirmed what ships: then exactly that sha is deployed. */
  readonly confirmed: boolean;
  /** Slack user IDs who approved, for environments that need approvals. */
  readonly approvedBy: readonly string[];
}

export function buildChatDeploymentRequest(
  plan: ChatDeployPlan,
  environment: EnvironmentConfig,
): DeploymentRequest {
  const verb = plan.rollback ? 'Roll back' : 'Deploy';
  const pinned = plan.rollback || plan.confirmed || plan.approvedBy.length > 0;
  return {
    owner: plan.owner,
    repo: plan.repo,
    // What someone confirmed or approved is the commit they were shown, even if the branch moved since.
    ref: pinned ? plan.sha : plan.ref,
    environment: plan.environment,
    task: 'deploy',
    auto_merge: false,
    ...(plan.force
      ? { required_contexts: [] }
      : environment.requiredContexts === undefined
        ? {}
        : { required_contexts: [...environment.requiredContexts] }),
    description: fitGitHubDescription(
      `${verb} ${plan.ref} to ${plan.environment} for ${plan.deployUser} from Slack${plan.force ? ' (forced)' : ''}`,
    ),
    production_environment: environment.production,
    payload: {
      deploy_user: plan.deployUser,
      ...(plan.force ? { forced: true } : {}),
      ...(plan.rollback ? { rollback: true } : {}),
      ...(plan.approvedBy.length > 0 ? { approved_by: [...plan.approvedBy] } : {}),
      notify: {
        adapter: 'slack',
        channel: plan.channel,
        user: plan.userId,
        ...(plan.threadTs === undefined ? {} : { thread_ts: plan.threadTs }),
      },
    },
  };
}

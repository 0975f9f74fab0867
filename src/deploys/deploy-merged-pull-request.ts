import type { Config } from '../core/config.js';
import { findRepo } from '../core/config-lookup.js';
import { planMergeDeploys } from '../core/merge-deploy.js';
import type { LogPort } from '../core/ports/log.js';
import type { DeployMerge } from './deploy-merge.js';

export interface DeployMergedPullRequestOptions {
  readonly config: Config;
  readonly deployMerge: DeployMerge;
}

/** A pull request GitHub says was merged, as its webhook tells it. */
export interface MergedPullRequestEvent {
  /** The base repository, `owner/name`: a pull request from a fork is merged into the base. */
  readonly repository: string;
  readonly repositoryUrl: string;
  readonly number: number;
  readonly title: string;
  readonly author: string;
  readonly baseRef: string;
  /** GitHub may leave it out; such a merge cannot be deployed. */
  readonly mergeCommitSha: string | undefined;
}

export interface DeployMergedPullRequestInput {
  readonly pullRequest: MergedPullRequestEvent;
  /** The last try of the delivery: see MergeDeployAttempt.finalAttempt. */
  readonly finalAttempt: boolean;
  readonly log: LogPort;
}

export type DeployMergedPullRequest = (input: DeployMergedPullRequestInput) => Promise<void>;

/** A merged pull request deploys its merge commit to each environment configured for its base branch. */
export function createDeployMergedPullRequest(
  options: DeployMergedPullRequestOptions,
): DeployMergedPullRequest {
  const { config } = options;
  return async ({ pullRequest: pr, finalAttempt, log }) => {
    const repo = findRepo(config, pr.repository);
    if (!repo) {
      log.debug({ repository: pr.repository }, 'pull_request ignored: repository not in deploybot.yml');
      return;
    }
    if (!pr.mergeCommitSha) {
      log.warn({ repository: pr.repository, number: pr.number }, 'merged pull request has no merge commit');
      return;
    }
    const plans = planMergeDeploys(config, repo, {
      repository: repo.fullName,
      number: pr.number,
      title: pr.title,
      author: pr.author,
      baseRef: pr.baseRef,
      mergeCommitSha: pr.mergeCommitSha,
    });
    if (plans.length === 0) {
      log.debug(
        { repository: repo.fullName, base: pr.baseRef },
        'pull_request ignored: no environment deploys this branch on merge',
      );
      return;
    }
    for (const plan of plans) {
      await options.deployMerge({
        request: plan.request,
        channel: plan.channel,
        repositoryUrl: pr.repositoryUrl,
        finalAttempt,
        log,
      });
    }
  };
}

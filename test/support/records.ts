import type { ChatDeployPlan } from '../../src/core/chat-deploy.js';
import type { DeploymentRequest, LockWaitRequest } from '../../src/core/merge-deploy.js';

/** Valid records of what the store keeps, for tests that store them; override what a test is about. */
export function aDeploymentRequest(overrides: Partial<DeploymentRequest> = {}): DeploymentRequest {
  return {
    owner: 'octo-org',
    repo: 'web',
    ref: 'a'.repeat(40),
    environment: 'staging',
    task: 'deploy',
    auto_merge: false,
    description: 'Deploy #42 (Fix it) merged into main',
    production_environment: false,
    payload: { deploy_user: 'octocat', pull_request: 42, notify: { adapter: 'slack', channel: 'C0WEB' } },
    ...overrides,
  };
}

export function aLockWaitRequest(overrides: Partial<DeploymentRequest> = {}): LockWaitRequest {
  return { request: aDeploymentRequest(overrides), repositoryUrl: 'https://github.com/octo-org/web' };
}

export function aChatDeployPlan(overrides: Partial<ChatDeployPlan> = {}): ChatDeployPlan {
  return {
    repository: 'octo-org/web',
    owner: 'octo-org',
    repo: 'web',
    environment: 'staging',
    ref: 'main',
    sha: 'b'.repeat(40),
    force: false,
    rollback: false,
    userId: 'U0ALICE',
    deployUser: 'alice',
    channel: 'C0WEB',
    confirmed: false,
    approvedBy: [],
    ...overrides,
  };
}

import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config-file.js';
import { buildChatDeploymentRequest, type ChatDeployPlan } from '../../src/core/chat-deploy.js';
import { findEnvironment, findRepo } from '../../src/core/config-lookup.js';

const config = parseConfig(
  `
slack: { channel: C0DEPLOYS }
repos:
  octo-org/web:
    environments:
      staging: {}
      production:
        required_contexts: [ci/build]
`,
  'test.yml',
);
const repo = findRepo(config, 'octo-org/web')!;
const staging = findEnvironment(repo, 'staging')!;
const production = findEnvironment(repo, 'production')!;

const plan: ChatDeployPlan = {
  repository: 'octo-org/web',
  owner: 'octo-org',
  repo: 'web',
  environment: 'production',
  ref: 'main',
  sha: 'a'.repeat(40),
  force: false,
  rollback: false,
  userId: 'U0ALICE',
  deployUser: 'alice',
  channel: 'C0WEB',
  confirmed: false,
  approvedBy: [],
};

describe('buildChatDeploymentRequest', () => {
  it.each([
    [
      'unconfirmed deploys the ref by name',
      plan,
      production,
      { ref: 'main', required_contexts: ['ci/build'] },
    ],
    [
      'confirmed deploys the sha that was shown',
      { ...plan, confirmed: true },
      production,
      { ref: 'a'.repeat(40) },
    ],
    [
      'rollback deploys the sha',
      { ...plan, rollback: true },
      production,
      { ref: 'a'.repeat(40), payload: { rollback: true } },
    ],
    [
      'force skips checks',
      { ...plan, force: true },
      production,
      { required_contexts: [], payload: { forced: true } },
    ],
    ['no required_contexts when not configured', plan, staging, {}],
  ] as const)('%s', (_name, p, environment, expected) => {
    const request = buildChatDeploymentRequest({ ...p, environment: environment.name }, environment);
    expect(request).toMatchObject({
      auto_merge: false,
      task: 'deploy',
      environment: environment.name,
      production_environment: environment.production,
      payload: { deploy_user: 'alice', notify: { adapter: 'slack', channel: 'C0WEB', user: 'U0ALICE' } },
      ...expected,
    });
    if (environment === staging) expect(request).not.toHaveProperty('required_contexts');
    expect(request.description.length).toBeLessThanOrEqual(140);
  });

  it('records approvers and the thread', () => {
    const request = buildChatDeploymentRequest(
      { ...plan, approvedBy: ['U0BOB'], threadTs: '1.2' },
      production,
    );
    expect(request.payload).toMatchObject({ approved_by: ['U0BOB'], notify: { thread_ts: '1.2' } });
  });
});

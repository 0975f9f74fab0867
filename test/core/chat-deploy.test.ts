import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config-file.js';
import {
  announcementChannel,
  buildChatDeploymentRequest,
  type ChatDeployPlan,
  checkChatDeploy,
  findTarget,
} from '../../src/core/chat-deploy.js';
import type { EnvironmentConfig } from '../../src/core/config.js';
import { findEnvironment, findRepo } from '../../src/core/config-lookup.js';
import type { Lock } from '../../src/core/lock.js';

const config = parseConfig(
  `
slack: { channel: C0DEPLOYS }
repos:
  octo-org/web:
    environments:
      staging: {}
      production:
        required_contexts: [ci/build]
        deployers: [U0DEV]
        admins: [U0ADMIN]
  octo-org/api:
    channel: C0API
    environments:
      production: {}
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

  it('records approvers and the thread to announce in', () => {
    const request = buildChatDeploymentRequest(
      { ...plan, approvedBy: ['U0BOB'], threadTs: '1.2', announceThreadTs: '1.2' },
      production,
    );
    expect(request.payload).toMatchObject({ approved_by: ['U0BOB'], notify: { thread_ts: '1.2' } });
  });

  it('announces a top-level mention’s deploy at the top level: its thread is only for answers', () => {
    const request = buildChatDeploymentRequest({ ...plan, threadTs: '1.2' }, production);
    expect(request.payload.notify).not.toHaveProperty('thread_ts');
  });
});

describe('checkChatDeploy', () => {
  const now = 1_700_000_000_000;
  const held: Lock = {
    repository: 'octo-org/web',
    environment: 'production',
    holder: 'U0DEV',
    lockedAt: now,
  };
  const asker = (userId: string, environment: EnvironmentConfig = production) => ({
    environment,
    userId,
    userGroups: [],
    standing: 'member' as const,
  });

  it.each<[string, string, boolean, Lock | undefined, string | undefined]>([
    ['a deployer', 'U0DEV', false, undefined, undefined],
    ['an admin, forcing', 'U0ADMIN', true, undefined, undefined],
    ['an admin, into a lock', 'U0ADMIN', false, { ...held, holder: 'U0OTHER' }, undefined],
    ['the holder, into their lock', 'U0DEV', false, held, undefined],
    ['someone else', 'U0OTHER', false, undefined, 'not_a_deployer'],
    ['a deployer, forcing', 'U0DEV', true, undefined, 'admins_only'],
    ['a deployer, into a lock', 'U0DEV', false, { ...held, holder: 'U0OTHER' }, 'locked'],
    [
      'a deployer, into a lapsed lock',
      'U0DEV',
      false,
      { ...held, holder: 'U0OTHER', expiresAt: now },
      undefined,
    ],
  ])('%s', (_name, userId, force, lock, rule) => {
    expect(checkChatDeploy(asker(userId), { force, lock, now })?.rule).toBe(rule);
  });

  it('checks permission before forcing, and forcing before the lock', () => {
    const lock = { ...held, holder: 'U0OTHER' };
    expect(checkChatDeploy(asker('U0OTHER'), { force: true, lock, now })?.rule).toBe('not_a_deployer');
    expect(checkChatDeploy(asker('U0DEV'), { force: true, lock, now })?.rule).toBe('admins_only');
    expect(checkChatDeploy(asker('U0ANY', staging), { force: false, lock: undefined, now })).toBeUndefined();
  });
});

describe('announcementChannel', () => {
  it.each([
    ['C0TYPED', 'octo-org/web', 'C0TYPED'],
    ['G0PRIVATE', 'octo-org/web', 'G0PRIVATE'],
    ['D0DIRECT', 'octo-org/api', 'C0API'],
    ['D0DIRECT', 'octo-org/web', 'C0DEPLOYS'],
  ])('typed in %s about %s: %s', (channel, repository, expected) => {
    expect(announcementChannel(config, channel, repository)).toBe(expected);
  });
});

describe('findTarget', () => {
  it('finds what a plan or lock names, in any case, while deploybot.yml has it', () => {
    expect(findTarget(config, 'Octo-Org/Web', 'production')).toEqual({ repo, environment: production });
    expect(findTarget(config, 'octo-org/web', 'removed')).toBeUndefined();
    expect(findTarget(config, 'octo-org/gone', 'production')).toBeUndefined();
  });
});

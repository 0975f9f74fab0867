import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config-file.js';
import { boardActionsFor, currentAndRunning, maySeeEnvironment } from '../../src/core/board-facts.js';
import type { EnvironmentConfig } from '../../src/core/config.js';
import type { Lock } from '../../src/core/lock.js';
import type { Asker } from '../../src/core/policy.js';
import type { DeploymentSummary } from '../../src/core/ports/github.js';
import type { UserStanding } from '../../src/core/user-standing.js';

const config = parseConfig(
  `
slack: { channel: C0DEPLOYS }
repos:
  octo-org/web:
    environments:
      staging: {}
      production:
        deployers: [U0ALICE, S0DEPLOYERS]
        admins: [U0ADMIN]
      partners:
        deployers: [U0GUEST]
`,
  'deploybot.yml',
);
const env = (name: string): EnvironmentConfig => {
  const found = config.repos[0]?.environments.find((e) => e.name === name);
  if (!found) throw new Error(name);
  return found;
};
const asker = (
  environment: string,
  userId: string,
  standing: UserStanding = 'member',
  userGroups: string[] = [],
): Asker => ({
  environment: env(environment),
  userId,
  standing,
  userGroups,
});
const now = 1_000_000;
const lockBy = (holder: string, expiresAt?: number): Lock => ({
  repository: 'octo-org/web',
  environment: 'production',
  holder,
  lockedAt: now - 1_000,
  ...(expiresAt === undefined ? {} : { expiresAt }),
});

describe('the board’s buttons', () => {
  it.each([
    ['anyone, unlocked', asker('staging', 'U0BOB'), undefined, ['deploy', 'lock', 'rollback']],
    ['a deployer, unlocked', asker('production', 'U0ALICE'), undefined, ['deploy', 'lock', 'rollback']],
    [
      'a deployer by group',
      asker('production', 'U0CAROL', 'member', ['S0DEPLOYERS']),
      undefined,
      ['deploy', 'lock', 'rollback'],
    ],
    ['no deployer', asker('production', 'U0DAVE'), undefined, []],
    ['the holder', asker('production', 'U0ALICE'), lockBy('U0ALICE'), ['deploy', 'unlock', 'rollback']],
    [
      'an admin, someone else’s lock',
      asker('production', 'U0ADMIN'),
      lockBy('U0ALICE'),
      ['deploy', 'unlock', 'rollback'],
    ],
    [
      'a deployer, someone else’s lock',
      asker('production', 'U0CAROL', 'member', ['S0DEPLOYERS']),
      lockBy('U0ALICE'),
      ['deploy', 'rollback'],
    ],
    [
      'a lapsed lock',
      asker('production', 'U0CAROL', 'member', ['S0DEPLOYERS']),
      lockBy('U0ALICE', now - 1),
      ['deploy', 'lock', 'rollback'],
    ],
    ['a guest', asker('staging', 'U0GUEST', 'guest'), undefined, []],
  ] as const)('%s', (_name, who, lock, expected) => {
    expect(boardActionsFor(who, lock, now)).toEqual(expected);
  });
});

describe('who sees an environment', () => {
  it.each([
    ['a member', asker('production', 'U0DAVE'), true],
    ['a guest, not listed', asker('staging', 'U0GUEST', 'guest'), false],
    ['a guest listed by ID', asker('partners', 'U0GUEST', 'guest'), true],
    ['someone of another workspace', asker('staging', 'U0OTHER', 'outsider'), false],
  ] as const)('%s', (_name, who, expected) => {
    expect(maySeeEnvironment(who)).toBe(expected);
  });
});

const deployment = (
  id: number,
  state: DeploymentSummary['state'],
  extra: Partial<DeploymentSummary> = {},
): DeploymentSummary => ({
  id,
  sha: `${id}`.repeat(40).slice(0, 40),
  ref: `ref-${id}`,
  environment: 'production',
  deployer: `dev${id}`,
  createdAt: id * 1_000,
  ...(state === undefined ? {} : { state }),
  ...extra,
});

describe('what runs and what is on its way', () => {
  it.each([
    ['nothing yet', [], undefined, undefined],
    ['one success', [deployment(1, 'success', { statusAt: 1_500 })], 1, undefined],
    ['a newer one running', [deployment(2, 'in_progress'), deployment(1, 'success')], 1, 2],
    ['a newer one without status', [deployment(2, undefined), deployment(1, 'success')], 1, 2],
    ['a newer one failed', [deployment(2, 'failure'), deployment(1, 'success')], 1, undefined],
    ['an older one still queued', [deployment(2, 'success'), deployment(1, 'queued')], 2, undefined],
    ['only failures', [deployment(2, 'failure'), deployment(1, 'error')], undefined, undefined],
  ] as const)('%s', (_name, recent, currentId, runningId) => {
    const facts = currentAndRunning(recent);
    expect(facts.current?.deployer).toBe(currentId === undefined ? undefined : `dev${currentId}`);
    expect(facts.running?.ref).toBe(runningId === undefined ? undefined : `ref-${runningId}`);
  });

  it('takes when it went live from its status, and the running one’s log and state', () => {
    const facts = currentAndRunning([
      deployment(2, 'pending', { logUrl: 'https://ci/2' }),
      deployment(1, 'success', { statusAt: 1_500, environmentUrl: 'https://www' }),
    ]);
    expect(facts.current).toEqual({
      ref: 'ref-1',
      sha: deployment(1, 'success').sha,
      deployer: 'dev1',
      at: 1_500,
      environmentUrl: 'https://www',
    });
    expect(facts.running).toMatchObject({ state: 'pending', since: 2_000, logUrl: 'https://ci/2' });
  });
});

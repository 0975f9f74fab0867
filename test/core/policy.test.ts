import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config-file.js';
import { describeRefusal } from '../../src/core/command-replies.js';
import type { EnvironmentConfig } from '../../src/core/config.js';
import { HOUR_MS, MINUTE_MS } from '../../src/core/duration.js';
import {
  checkLock,
  createLock,
  decideLock,
  decideUnlock,
  describeLock,
  isLockExpired,
  type Lock,
  type LockCheck,
  takeOverLock,
} from '../../src/core/lock-policy.js';
import {
  approvalsMissing,
  approversOf,
  type ConfirmationKind,
  canApprove,
  canCancelOthers,
  canForce,
  canPressConfirmation,
  canStealLock,
  checkDeployPermission,
  checkMembership,
  checkWorkspaceMembership,
  confirmationExpired,
  confirmationTtlMs,
  groupsOf,
  identify,
  mention,
  needsApproval,
  needsConfirmation,
  type Permission,
} from '../../src/core/policy.js';
import { pickRollbackTarget } from '../../src/core/rollback.js';
import { standingOf, type UserStanding } from '../../src/core/user-standing.js';

const config = parseConfig(
  `
slack: { channel: C0DEPLOYS }
users:
  U0ALICE: alice-gh
repos:
  octo-org/web:
    environments:
      staging: {}
      production:
        deployers: [U0DEV, S0DEVS]
        admins: [U0ADMIN, S0OPS]
        approvals: 1
      qa:
        deployers: []
        confirm: true
      sandbox:
        confirm: false
        production: true
`,
  'test.yml',
);
const env = (name: string): EnvironmentConfig => config.repos[0]!.environments.find((e) => e.name === name)!;
const staging = env('staging');
const production = env('production');
const qa = env('qa');

const allowed = (p: Permission) => p.allowed;
const whoMay = (p: Permission) => (p.allowed ? [] : p.whoMay);
/** The words a refusal is shown with; undefined when nothing was refused. */
const reasonOf = (d: Permission | LockCheck | { action: string }): string | undefined =>
  'rule' in d ? describeRefusal(d as Parameters<typeof describeRefusal>[0]) : undefined;

describe('identify', () => {
  it.each<[string, string, Record<string, unknown>]>([
    ['U0ALICE', 'alice', { slackUserId: 'U0ALICE', githubLogin: 'alice-gh', deployUser: 'alice-gh' }],
    ['U0BOB', 'bob', { slackUserId: 'U0BOB', deployUser: 'bob' }],
  ])('%s (%s)', (id, handle, expected) => {
    expect(identify(config, id, handle)).toEqual(expected);
  });
});

describe('mention', () => {
  it.each([
    ['U0ALICE', '<@U0ALICE>'],
    ['W0GRID', '<@W0GRID>'],
    ['S0DEVS', '<!subteam^S0DEVS>'],
  ])('%s → %s', (id, expected) => {
    expect(mention(id)).toBe(expected);
  });
});

describe('checkDeployPermission', () => {
  it.each<[string, EnvironmentConfig, string, string[], boolean]>([
    ['no deployers: everyone', staging, 'U0ANYONE', [], true],
    ['listed user', production, 'U0DEV', [], true],
    ['member of a listed group', production, 'U0OTHER', ['S0XYZ', 'S0DEVS'], true],
    ['admin user', production, 'U0ADMIN', [], true],
    ['member of an admin group', production, 'U0OTHER', ['S0OPS'], true],
    ['someone else', production, 'U0OTHER', ['S0XYZ'], false],
    ['empty deployers: admins only', qa, 'U0DEV', [], false],
  ])('%s', (_name, environment, userId, userGroups, expected) => {
    expect(allowed(checkDeployPermission({ environment, userId, userGroups, standing: 'member' }))).toBe(
      expected,
    );
  });

  it('says who may deploy instead', () => {
    const p = checkDeployPermission({
      environment: production,
      userId: 'U0OTHER',
      userGroups: [],
      standing: 'member',
    });
    expect(p).toEqual({
      allowed: false,
      rule: 'not_a_deployer',
      environment: 'production',
      whoMay: ['<@U0DEV>', '<!subteam^S0DEVS>', '<@U0ADMIN>', '<!subteam^S0OPS>'],
    });
    expect(reasonOf(p)).toBe(
      'You may not deploy to *production*. Ask <@U0DEV>, <!subteam^S0DEVS>, <@U0ADMIN> or <!subteam^S0OPS>.',
    );
  });
});

describe('canForce and canStealLock: admins only', () => {
  it.each<[string, EnvironmentConfig, string, string[], boolean]>([
    ['admin', production, 'U0ADMIN', [], true],
    ['admin group', production, 'U0X', ['S0OPS'], true],
    ['deployer', production, 'U0DEV', [], false],
    ['nobody is admin', staging, 'U0ANYONE', [], false],
  ])('%s', (_name, environment, userId, userGroups, expected) => {
    expect(allowed(canForce({ environment, userId, userGroups, standing: 'member' }))).toBe(expected);
    expect(allowed(canStealLock({ environment, userId, userGroups, standing: 'member' }))).toBe(expected);
  });

  it('refusals name the admins, or say there are none', () => {
    const refused = canForce({
      environment: production,
      userId: 'U0DEV',
      userGroups: [],
      standing: 'member',
    });
    expect(whoMay(refused)).toEqual(['<@U0ADMIN>', '<!subteam^S0OPS>']);
    expect(reasonOf(refused)).toMatch(/Only admins may force .* Ask <@U0ADMIN> or <!subteam\^S0OPS>\./);
    const none = canStealLock({ environment: staging, userId: 'U0X', userGroups: [], standing: 'member' });
    expect(none).toMatchObject({ allowed: false, whoMay: [] });
    expect(reasonOf(none)).toMatch(/has none \(`admins:` in deploybot.yml\)/);
  });
});

const now = 1_700_000_000_000;
const held: Lock = {
  repository: 'octo-org/web',
  environment: 'production',
  holder: 'U0HOLDER',
  reason: 'release <!channel> & co',
  lockedAt: now - 3 * HOUR_MS,
  expiresAt: now + 2 * HOUR_MS,
};
const expired: Lock = { ...held, expiresAt: now - 1 };
const { reason: _reason, expiresAt: _expiresAt, ...forever } = held;

describe('locks', () => {
  it.each<[string, Lock, boolean]>([
    ['expires later', held, false],
    ['expired a moment ago', expired, true],
    ['expires exactly now', { ...held, expiresAt: now }, true],
    ['no expiry', forever, false],
  ])('isLockExpired: %s', (_name, lock, expected) => {
    expect(isLockExpired(lock, now)).toBe(expected);
  });

  it.each<[string, Lock | undefined, string, boolean, boolean]>([
    ['no lock', undefined, 'U0X', false, true],
    ['expired lock', expired, 'U0X', false, true],
    ['the holder', held, 'U0HOLDER', false, true],
    ['an admin', held, 'U0X', true, true],
    ['someone else', held, 'U0X', false, false],
    ['someone else, lock without expiry', forever, 'U0X', false, false],
  ])('checkLock: %s', (_name, lock, userId, isAdmin, ok) => {
    expect(checkLock(lock, { userId, isAdmin, now }).ok).toBe(ok);
  });

  it('a refusal names the holder, since when, and the reason, escaped', () => {
    const check = checkLock(held, { userId: 'U0X', isAdmin: false, now });
    expect(check).toEqual({ ok: false, rule: 'locked', lock: held, now });
    expect(reasonOf(check)).toBe(
      '*production* of *octo-org/web* is locked by <@U0HOLDER> (3h ago, 2h left): “release &lt;!channel&gt; &amp; co”. Ask them to unlock it, or ask an admin.',
    );
    expect(describeLock(forever, now)).toBe(
      '*production* of *octo-org/web* is locked by <@U0HOLDER> (3h ago).',
    );
  });

  it('createLock sets expiry from the duration', () => {
    expect(
      createLock({
        repository: 'r',
        environment: 'e',
        holder: 'U1',
        reason: 'why',
        durationMs: MINUTE_MS,
        now,
      }),
    ).toEqual({
      repository: 'r',
      environment: 'e',
      holder: 'U1',
      reason: 'why',
      lockedAt: now,
      expiresAt: now + MINUTE_MS,
    });
    expect(createLock({ repository: 'r', environment: 'e', holder: 'U1', now })).toEqual({
      repository: 'r',
      environment: 'e',
      holder: 'U1',
      lockedAt: now,
    });
  });

  it.each<[string, Lock | undefined, string, boolean, string]>([
    ['free', undefined, 'U0DEV', false, 'lock'],
    ['expired', expired, 'U0DEV', false, 'lock'],
    ['own lock', held, 'U0HOLDER', false, 'relock'],
    ['own lock with !', held, 'U0HOLDER', true, 'relock'],
    ['someone else, no !', held, 'U0ADMIN', false, 'refuse'],
    ['someone else, ! by an admin', held, 'U0ADMIN', true, 'steal'],
    ['someone else, ! by a deployer', held, 'U0DEV', true, 'refuse'],
  ])('decideLock: %s → %s', (_name, existing, userId, steal, action) => {
    expect(
      decideLock(existing, {
        environment: production,
        userId,
        userGroups: [],
        standing: 'member',
        steal,
        now,
      }).action,
    ).toBe(action);
  });

  it('decideLock: a steal names the previous holder; a refusal says how to steal', () => {
    expect(
      decideLock(held, {
        environment: production,
        userId: 'U0ADMIN',
        userGroups: [],
        standing: 'member',
        steal: true,
        now,
      }),
    ).toMatchObject({ action: 'steal', previousHolder: 'U0HOLDER' });
    const refused = decideLock(held, {
      environment: production,
      userId: 'U0DEV',
      userGroups: [],
      standing: 'member',
      steal: false,
      now,
    });
    expect(refused).toMatchObject({ action: 'refuse', whoMay: ['<@U0HOLDER>'] });
    expect(reasonOf(refused)).toMatch(/An admin can take it over with `lock …!`/);
  });

  it.each<[string, Lock | undefined, string, string[], string]>([
    ['not locked', undefined, 'U0DEV', [], 'not_locked'],
    ['expired', expired, 'U0DEV', [], 'not_locked'],
    ['holder', held, 'U0HOLDER', [], 'unlock'],
    ['admin', held, 'U0X', ['S0OPS'], 'unlock'],
    ['deployer', held, 'U0DEV', [], 'refuse'],
  ])('decideUnlock: %s → %s', (_name, existing, userId, userGroups, action) => {
    expect(
      decideUnlock(existing, { environment: production, userId, userGroups, standing: 'member', now }).action,
    ).toBe(action);
  });
});

describe('takeOverLock', () => {
  it('takes the lock asked for now, for as long as was asked', () => {
    const wanted: Lock = { ...held, holder: 'U0ADMIN', lockedAt: now - MINUTE_MS, expiresAt: now + HOUR_MS };
    expect(takeOverLock({ lock: wanted, previous: held }, now)).toEqual({
      ...wanted,
      lockedAt: now,
      expiresAt: now + HOUR_MS + MINUTE_MS,
    });
    expect(takeOverLock({ lock: { ...forever, holder: 'U0ADMIN' }, previous: held }, now)).toEqual({
      ...forever,
      holder: 'U0ADMIN',
      lockedAt: now,
    });
  });
});

describe('confirmation', () => {
  it.each<[string, EnvironmentConfig, boolean]>([
    ['production: confirm by default', production, true],
    ['staging: no', staging, false],
    ['confirm: true', qa, true],
    ['production: true with confirm: false', env('sandbox'), false],
  ])('needsConfirmation: %s', (_name, environment, expected) => {
    expect(needsConfirmation(environment)).toBe(expected);
  });

  it.each<[number, boolean]>([
    [0, false],
    [5 * MINUTE_MS - 1, false],
    [5 * MINUTE_MS, true],
    [HOUR_MS, true],
  ])('confirmationExpired after %d ms: %s', (elapsed, expected) => {
    // A confirmation lapses at the expiry it was saved with: five minutes after it was asked.
    const createdAt = now - elapsed;
    expect(confirmationExpired({ expiresAt: createdAt + confirmationTtlMs('deploy') }, now)).toBe(expected);
  });

  it.each<[ConfirmationKind, number]>([
    ['deploy', 5 * MINUTE_MS],
    ['force', 5 * MINUTE_MS],
    ['steal', 5 * MINUTE_MS],
    ['approval', 12 * HOUR_MS],
  ])('a %s confirmation lasts %d ms', (kind, ttl) => {
    expect(confirmationTtlMs(kind)).toBe(ttl);
  });

  it('only the asker presses the buttons', () => {
    expect(canPressConfirmation({ userId: 'U0ASKER' }, 'U0ASKER')).toEqual({ allowed: true });
    const refused = canPressConfirmation({ userId: 'U0ASKER' }, 'U0ADMIN');
    expect(refused).toEqual({
      allowed: false,
      rule: 'not_the_asker',
      asker: 'U0ASKER',
      whoMay: ['<@U0ASKER>'],
    });
    expect(reasonOf(refused)).toBe("Only <@U0ASKER> can press these buttons: it's their deploy.");
  });
});

describe('who is asked', () => {
  it('groupsOf: the user groups among deployers and admins, once each', () => {
    expect(groupsOf(production)).toEqual(['S0DEVS', 'S0OPS']);
    expect(groupsOf({ ...production, admins: ['S0DEVS'] })).toEqual(['S0DEVS']);
    expect(groupsOf(staging)).toEqual([]);
  });

  it('approversOf: deployers and admins as mentions', () => {
    expect(approversOf(production)).toEqual([
      '<@U0DEV>',
      '<!subteam^S0DEVS>',
      '<@U0ADMIN>',
      '<!subteam^S0OPS>',
    ]);
    expect(approversOf(staging)).toEqual([]);
  });
});

describe('approvals', () => {
  it.each<[string, EnvironmentConfig, string, string, string[], boolean]>([
    ['own deploy', production, 'U0DEV', 'U0DEV', [], false],
    ['own deploy, no deployers', staging, 'U0A', 'U0A', [], false],
    ['someone else, no deployers', staging, 'U0B', 'U0A', [], true],
    ['a deployer', production, 'U0DEV', 'U0A', [], true],
    ['a deployer by group', production, 'U0B', 'U0A', ['S0DEVS'], true],
    ['an admin', production, 'U0ADMIN', 'U0A', [], true],
    ['not a deployer', production, 'U0B', 'U0A', ['S0XYZ'], false],
  ])('canApprove: %s', (_name, environment, approverId, requesterId, approverGroups, expected) => {
    expect(
      allowed(
        canApprove({ approverId, requesterId, environment, approverGroups, approverStanding: 'member' }),
      ),
    ).toBe(expected);
  });

  it('refusing your own approval points at the others', () => {
    const own = canApprove({
      approverId: 'U0DEV',
      requesterId: 'U0DEV',
      environment: production,
      approverGroups: [],
      approverStanding: 'member',
    });
    expect(own).toMatchObject({
      allowed: false,
      whoMay: ['<!subteam^S0DEVS>', '<@U0ADMIN>', '<!subteam^S0OPS>'],
    });
    expect(reasonOf(own)).toMatch(/cannot approve your own deploy/);
  });

  it.each<[EnvironmentConfig, string[], number]>([
    [production, [], 1],
    [production, ['U0REQ'], 1],
    [production, ['U0B'], 0],
    [production, ['U0B', 'U0B', 'U0C'], 0],
    [staging, [], 0],
  ])('approvalsMissing(%#)', (environment, approvers, expected) => {
    expect(approvalsMissing(environment, 'U0REQ', approvers)).toBe(expected);
    expect(needsApproval(environment)).toBe(environment.approvals > 0);
  });
});

describe('pickRollbackTarget', () => {
  const d = (sha: string, state: string, minutesAgo: number) => ({
    sha,
    state,
    createdAt: now - minutesAgo * MINUTE_MS,
  });
  it.each<[string, ReturnType<typeof d>[], string | undefined, string | undefined]>([
    [
      'the previous success',
      [d('c3', 'success', 1), d('b2', 'inactive', 2), d('a1', 'inactive', 3)],
      'b2',
      'c3',
    ],
    ['skips failures', [d('c3', 'success', 1), d('b2', 'failure', 2), d('a1', 'inactive', 3)], 'a1', 'c3'],
    [
      'skips the same sha',
      [d('c3', 'success', 1), d('c3', 'inactive', 2), d('a1', 'inactive', 3)],
      'a1',
      'c3',
    ],
    [
      'ignores a newer failed deploy',
      [d('d4', 'failure', 1), d('c3', 'success', 2), d('b2', 'inactive', 3)],
      'b2',
      'c3',
    ],
    [
      'ignores one still running',
      [d('d4', 'in_progress', 1), d('c3', 'success', 2), d('b2', 'inactive', 3)],
      'b2',
      'c3',
    ],
    ['active counts as live', [d('c3', 'active', 1), d('b2', 'success', 2)], 'b2', 'c3'],
    ['compares shas ignoring case', [d('ABC', 'success', 1), d('abc', 'inactive', 2)], undefined, undefined],
    ['unsorted input', [d('a1', 'inactive', 3), d('c3', 'success', 1), d('b2', 'inactive', 2)], 'b2', 'c3'],
    ['nothing before', [d('c3', 'success', 1)], undefined, undefined],
    [
      'only failures before',
      [d('c3', 'success', 1), d('b2', 'error', 2), d('a1', 'queued', 3)],
      undefined,
      undefined,
    ],
    ['nothing live', [d('c3', 'failure', 1), d('b2', 'inactive', 2)], undefined, undefined],
    ['empty', [], undefined, undefined],
  ])('%s', (_name, history, target, current) => {
    const pick = pickRollbackTarget(history);
    expect(pick.target?.sha).toBe(target);
    if (pick.target === undefined) expect(describeRefusal(pick)).toMatch(/roll back/);
    else expect(pick.current.sha).toBe(current);
  });

  it('keeps the extra fields of the entries', () => {
    const pick = pickRollbackTarget([
      { sha: 'c3', state: 'success', createdAt: 2, id: 3 },
      { sha: 'b2', state: 'inactive', createdAt: 1, id: 2 },
    ]);
    expect(pick.target?.id).toBe(2);
  });
});

describe('who counts as a user', () => {
  it.each([
    ['a full member', { teamId: 'T0US', isGuest: false }, 'member'],
    ['a guest', { teamId: 'T0US', isGuest: true }, 'guest'],
    ['a Slack Connect user', { teamId: 'T0THEM', isGuest: false }, 'outsider'],
    ['a Slack Connect guest', { teamId: 'T0THEM', isGuest: true }, 'outsider'],
    ['a user of no known workspace', { teamId: undefined, isGuest: false }, 'outsider'],
  ] as const)('standingOf: %s', (_name, user, standing) => {
    expect(standingOf(user, 'T0US')).toBe(standing);
  });

  const as = (userId: string, standing: UserStanding, environment = production) => ({
    environment,
    userId,
    userGroups: [] as string[],
    standing,
  });

  it.each<[string, ReturnType<typeof as>, boolean]>([
    ['a member where deployers is absent', as('U0X', 'member', staging), true],
    ['a guest where deployers is absent', as('U0X', 'guest', staging), false],
    ['an outsider where deployers is absent', as('U0X', 'outsider', staging), false],
    ['a guest listed in deployers by ID', as('U0DEV', 'guest'), true],
    ['an outsider listed in admins by ID', as('U0ADMIN', 'outsider'), true],
    ['a guest in a listed group only', { ...as('U0X', 'guest'), userGroups: ['S0DEVS'] }, false],
  ])('checkDeployPermission: %s', (_name, asker, expected) => {
    expect(allowed(checkDeployPermission(asker))).toBe(expected);
    expect(allowed(checkMembership(asker))).toBe(expected || asker.standing === 'member');
  });

  it('refuses a guest as a guest, not as a non-deployer', () => {
    const refused = checkDeployPermission(as('U0X', 'guest', staging));
    expect(refused).toEqual({
      allowed: false,
      rule: 'not_a_member',
      standing: 'guest',
      environment: 'staging',
      whoMay: [],
    });
    expect(reasonOf(refused)).toContain('Guests of this workspace');
  });

  it('keeps guests and outsiders from forcing, taking over locks and approving unless listed by ID', () => {
    expect(allowed(canForce(as('U0ADMIN', 'guest')))).toBe(true);
    expect(allowed(canStealLock(as('U0X', 'outsider')))).toBe(false);
    const approve = (approverId: string, approverStanding: UserStanding, environment = staging) =>
      canApprove({ approverId, requesterId: 'U0ASKER', environment, approverGroups: [], approverStanding });
    expect(allowed(approve('U0X', 'member'))).toBe(true);
    expect(allowed(approve('U0X', 'guest'))).toBe(false);
    expect(allowed(approve('U0X', 'outsider'))).toBe(false);
    expect(allowed(approve('U0DEV', 'outsider', production))).toBe(true);
  });

  it('admits a guest to commands naming no environment only when some environment lists them', () => {
    expect(allowed(checkWorkspaceMembership(config, { userId: 'U0X', standing: 'member' }))).toBe(true);
    expect(allowed(checkWorkspaceMembership(config, { userId: 'U0DEV', standing: 'guest' }))).toBe(true);
    expect(checkWorkspaceMembership(config, { userId: 'U0X', standing: 'outsider' })).toEqual({
      allowed: false,
      rule: 'not_a_member',
      standing: 'outsider',
      whoMay: [],
    });
  });

  it("canCancelOthers: the environment's admins and the lock holder", () => {
    const now = 1_000_000;
    const lock = createLock({
      repository: 'octo-org/web',
      environment: 'production',
      holder: 'U0DEV',
      durationMs: HOUR_MS,
      now,
    });
    expect(allowed(canCancelOthers(as('U0ADMIN', 'member'), undefined, now))).toBe(true);
    expect(allowed(canCancelOthers(as('U0DEV', 'member'), lock, now))).toBe(true);
    expect(allowed(canCancelOthers(as('U0DEV', 'member'), undefined, now))).toBe(false);
    const expired = canCancelOthers(as('U0DEV', 'member'), lock, now + 2 * HOUR_MS);
    expect(expired).toMatchObject({
      allowed: false,
      rule: 'not_your_deploy',
      whoMay: ['<@U0ADMIN>', '<!subteam^S0OPS>'],
    });
    expect(whoMay(canCancelOthers(as('U0X', 'member'), lock, now))).toEqual([
      '<@U0ADMIN>',
      '<!subteam^S0OPS>',
      '<@U0DEV>',
    ]);
    expect(allowed(canCancelOthers(as('U0X', 'guest', production), lock, now))).toBe(false);
  });
});

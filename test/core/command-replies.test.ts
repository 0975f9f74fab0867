import { describe, expect, it } from 'vitest';
import {
  ACTION_DEPLOY_CANCEL,
  ACTION_DEPLOY_CONFIRM,
  ACTION_DEPLOY_FORCE,
  type ConfirmationRequest,
  describeRefusal,
  type HistoryEntry,
  renderApprovalRequest,
  renderConfirmation,
  renderConfirmationExpired,
  renderGitHubError,
  renderHelp,
  renderHistory,
  renderInvalid,
  renderLockExpired,
  renderLocked,
  renderLockStolen,
  renderNotLocked,
  renderRefusal,
  renderStealPrompt,
  renderUnlocked,
  renderWhere,
} from '../../src/core/command-replies.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/core/duration.js';
import { DeploybotError, type ErrorCode } from '../../src/core/errors.js';
import type { Lock } from '../../src/core/lock-policy.js';
import type { Block, ButtonElement, MessageContent } from '../../src/core/message.js';
import type { Refusal } from '../../src/core/refusal.js';

const now = 1_700_000_000_000;
const url = 'https://github.com/octo-org/web';
const sha = 'abcdef1234567890abcdef1234567890abcdef12';
const oldSha = '1111111234567890abcdef1234567890abcdef12';
const HOSTILE = '<!channel> & <@U0BOSS>';
const HOSTILE_ESCAPED = '&lt;!channel&gt; &amp; &lt;@U0BOSS&gt;';

/** Every text of a message: the fallback and each block's text, fields and elements. */
function allText(content: MessageContent): string {
  const parts = [content.text];
  for (const block of content.blocks ?? []) {
    if (block.type === 'section') parts.push(block.text.text, ...(block.fields ?? []).map((f) => f.text));
    if (block.type === 'context') parts.push(...block.elements.map((e) => e.text));
    if (block.type === 'actions') parts.push(...block.elements.map((e) => e.text.text));
  }
  return parts.join('\n');
}

function buttons(content: MessageContent): ButtonElement[] {
  return (content.blocks ?? []).flatMap((b: Block) => (b.type === 'actions' ? [...b.elements] : []));
}

function expectNoHostileMarkup(content: MessageContent): void {
  const text = allText(content);
  expect(text).not.toContain('<!channel>');
  expect(text).not.toContain('<@U0BOSS>');
}

function expectSectionsFitSlack(content: MessageContent): void {
  for (const block of content.blocks ?? []) {
    if (block.type === 'section') expect(block.text.text.length).toBeLessThanOrEqual(3000);
  }
}

describe('help and mistakes', () => {
  it('help lists every command', () => {
    const text = allText(renderHelp());
    for (const word of [
      'REPO[@REF]',
      'where',
      'history',
      'lock ENV on REPO',
      'unlock',
      'rollback',
      'cancel',
    ]) {
      expect(text).toContain(word);
    }
  });

  it.each<[string[], string]>([
    [[], "I don't know the repository `wbe`."],
    [['web'], "I don't know the repository `wbe`. Did you mean `web`?"],
    [['prod', 'production'], "I don't know the repository `wbe`. Did you mean `prod` or `production`?"],
    [['a', 'b', 'c'], "I don't know the repository `wbe`. Did you mean `a`, `b` or `c`?"],
  ])('invalid with suggestions %j', (suggestions, expected) => {
    const reply = renderInvalid({ reason: "I don't know the repository `wbe`.", suggestions });
    expect(reply.text).toBe(expected);
    expect(allText(reply)).toContain('rollback REPO');
  });

  it('escapes suggestions', () => {
    expect(renderInvalid({ reason: 'x', suggestions: [HOSTILE] }).text).toBe(
      `x Did you mean \`${HOSTILE_ESCAPED}\`?`,
    );
  });

  it('shows a policy refusal as it is, mentions included', () => {
    const reply = renderRefusal({ rule: 'not_a_deployer', environment: 'production', whoMay: ['<@U0DEV>'] });
    expect(reply.text).toBe('You may not deploy to *production*. Ask <@U0DEV>.');
    expect(allText(reply)).toContain(':no_entry:');
  });
});

describe('refusals', () => {
  const lock: Lock = {
    repository: 'octo-org/web',
    environment: 'production',
    holder: 'U0HOLDER',
    reason: HOSTILE,
    lockedAt: now - 30 * MINUTE_MS,
  };
  const locked = `*production* of *octo-org/web* is locked by <@U0HOLDER> (30m ago): “${HOSTILE_ESCAPED}”.`;

  it.each<[Refusal, string]>([
    [
      { rule: 'not_a_deployer', environment: 'prod<x>', whoMay: ['<@U0A>', '<!subteam^S0B>'] },
      'You may not deploy to *prod&lt;x&gt;*. Ask <@U0A> or <!subteam^S0B>.',
    ],
    [
      { rule: 'admins_only', act: 'force', environment: 'production', whoMay: ['<@U0ADMIN>'] },
      'Only admins may force a deploy past failing checks on *production*. Ask <@U0ADMIN>.',
    ],
    [
      { rule: 'admins_only', act: 'take_over_lock', environment: 'production', whoMay: [] },
      'Only admins may take over a lock on *production*, and it has none (`admins:` in deploybot.yml).',
    ],
    [
      { rule: 'not_the_asker', asker: 'U0ASKER', whoMay: ['<@U0ASKER>'] },
      "Only <@U0ASKER> can press these buttons: it's their deploy.",
    ],
    [{ rule: 'own_deploy', whoMay: [] }, 'You cannot approve your own deploy; someone else has to.'],
    [
      { rule: 'not_an_approver', environment: 'qa', whoMay: ['<@U0A>', '<@U0B>', '<@U0C>'] },
      'Only deployers of *qa* may approve deploys there. Ask <@U0A>, <@U0B> or <@U0C>.',
    ],
    [
      { rule: 'not_a_member', standing: 'guest', environment: 'production', whoMay: [] },
      'Guests of this workspace may use deploybot on *production* only if its `deployers` or `admins` in deploybot.yml list them by user ID.',
    ],
    [
      { rule: 'not_a_member', standing: 'outsider', whoMay: [] },
      "Users of other workspaces may use deploybot only if an environment's `deployers` or `admins` in deploybot.yml list them by user ID.",
    ],
    [
      { rule: 'not_your_deploy', environment: 'production', whoMay: ['<@U0ADMIN>', '<@U0HOLDER>'] },
      'Someone else asked for a deploy there; only admins of *production* or the lock holder may cancel it. Ask <@U0ADMIN> or <@U0HOLDER>.',
    ],
    [{ rule: 'locked', lock, now }, `${locked} Ask them to unlock it, or ask an admin.`],
    [
      { rule: 'lock_held', lock, now, whoMay: ['<@U0HOLDER>'] },
      `${locked} An admin can take it over with \`lock …!\`.`,
    ],
    [
      { rule: 'not_the_holder', lock, now, whoMay: ['<@U0HOLDER>'] },
      `${locked} Only <@U0HOLDER> or an admin can unlock it.`,
    ],
    [
      { rule: 'nothing_deployed' },
      'Nothing has been deployed there successfully, so there is nothing to roll back.',
    ],
    [
      { rule: 'nothing_earlier' },
      'There is no earlier successful deploy of another commit there to roll back to.',
    ],
  ])('%j', (refusal, words) => {
    expect(describeRefusal(refusal)).toBe(words);
    expect(renderRefusal(refusal)).toEqual({
      text: words,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:no_entry: ${words}` } }],
    });
  });
});

describe('GitHub errors', () => {
  const subject = { repository: 'octo-org/web', environment: 'production', ref: 'main' };
  const error = (code: ErrorCode, details: Record<string, unknown> = {}) =>
    new DeploybotError(code, 'GitHub said something', {
      details: { repository: 'octo-org/web', ...details },
    });

  it.each<[ErrorCode, Record<string, unknown>, RegExp]>([
    ['github_merge_conflict', {}, /merge conflict/],
    ['github_auto_merged', {}, /202/],
    ['github_no_such_ref', { ref: 'nope' }, /no branch, tag or commit `nope` in octo-org\/web/],
    ['github_unauthorized', {}, /401/],
    ['github_forbidden', {}, /Deployments: read and write/],
    ['github_not_found', {}, /404/],
    ['github_unavailable', {}, /GitHub is having trouble right now; try again/],
    ['github_rate_limited', {}, /rate limit/],
    ['internal', {}, /the details are in its log/],
  ])('%s', (code, details, expected) => {
    const reply = renderGitHubError(error(code, details), subject);
    expect(allText(reply)).toMatch(expected);
    expect(allText(reply)).toContain('*Not deployed*');
    expect(buttons(reply)).toEqual([]);
  });

  const checks = error('github_checks_failed', {
    contexts: [
      { context: 'ci/build', state: 'failure' },
      { context: 'ci/test', state: 'missing' },
      { context: 'ci/lint', state: 'pending' },
      { context: 'ci/ok', state: 'success' },
    ],
  });

  it('409 failed checks: lists failed and missing checks', () => {
    const text = allText(renderGitHubError(checks, subject));
    expect(text).toContain(':x: `ci/build` failure');
    expect(text).toContain('`ci/test` has not reported');
    expect(text).toContain('`ci/lint` pending');
    expect(text).not.toContain('ci/ok');
  });

  it('409 failed checks: "Deploy anyway" only for those who may force', () => {
    expect(buttons(renderGitHubError(checks, subject))).toEqual([]);
    expect(allText(renderGitHubError(checks, subject))).toMatch(/ask an admin/);
    const forceable = buttons(renderGitHubError(checks, { ...subject, forceValue: 'req-1' }));
    expect(forceable).toEqual([
      expect.objectContaining({
        action_id: ACTION_DEPLOY_FORCE,
        value: 'req-1',
        text: expect.objectContaining({ text: 'Deploy anyway' }),
      }),
    ]);
    expect(ACTION_DEPLOY_FORCE).toBe('deploy_force');
  });

  it('escapes hostile check names and refs', () => {
    const reply = renderGitHubError(
      error('github_checks_failed', { contexts: [{ context: HOSTILE, state: 'failure' }] }),
      { ...subject, ref: HOSTILE },
    );
    expectNoHostileMarkup(reply);
    expect(allText(reply)).toContain(HOSTILE_ESCAPED);
  });
});

describe('where', () => {
  const lock: Lock = {
    repository: 'octo-org/web',
    environment: 'production',
    holder: 'U0HOLDER',
    reason: HOSTILE,
    lockedAt: now - 2 * HOUR_MS,
  };
  const reply = renderWhere({
    repository: 'octo-org/web',
    repositoryUrl: url,
    now,
    environments: [
      {
        name: 'production',
        current: { ref: 'main', sha, deployUser: 'octocat', createdAt: now - 3 * HOUR_MS, state: 'success' },
        lock,
      },
      { name: 'staging' },
      {
        name: 'qa',
        current: { ref: sha, sha, deployUser: HOSTILE, createdAt: now - 2 * DAY_MS, state: 'failure' },
        lock: { ...lock, expiresAt: now - 1 },
      },
    ],
  });
  const text = allText(reply);

  it('shows ref, linked short sha, who, when and state per environment', () => {
    expect(text).toContain(
      `*production*: \`main\` (<${url}/commit/${sha}|abcdef1>) by octocat, 3h ago · \`success\``,
    );
    expect(text).toContain('*staging*: nothing deployed yet');
    expect(text).toContain(`:x: *qa*: <${url}/commit/${sha}|abcdef1> by`);
    expect(text).toContain('2d ago');
  });

  it('shows live locks only, with holder, since when and reason', () => {
    expect(text).toContain(`:lock: locked by <@U0HOLDER> 2h ago: “${HOSTILE_ESCAPED}”`);
    expect(text.match(/:lock:/g)).toHaveLength(1);
    expect(reply.text).toContain('production: main (abcdef1) success (locked)');
  });

  it('escapes what people typed', () => {
    expectNoHostileMarkup(reply);
  });
});

describe('history', () => {
  const entry = (i: number): HistoryEntry => ({
    ref: `release-${i}`,
    sha: `${i}`.padStart(40, 'a'),
    environment: 'production',
    deployUser: 'octocat',
    createdAt: now - i * HOUR_MS,
    state: i === 0 ? 'success' : 'inactive',
    logUrl: `https://ci.example.com/${i}`,
  });

  it('shows the last 10 with state, ref, sha, env, who, when and log', () => {
    const reply = renderHistory({
      repository: 'octo-org/web',
      repositoryUrl: url,
      entries: Array.from({ length: 12 }, (_, i) => entry(i)),
      now,
    });
    const text = allText(reply);
    expect(text).toContain('The last 10 deployments of *octo-org/web*:');
    expect(text).toContain(
      `:white_check_mark: \`release-0\` (<${url}/commit/${entry(0).sha}|aaaaaaa>) to *production* by octocat, just now · \`success\` · <https://ci.example.com/0|log>`,
    );
    expect(text).toContain('`release-9`');
    expect(text).not.toContain('`release-10`');
    expect(text).toContain('9h ago');
  });

  it('says so when there is none', () => {
    const reply = renderHistory({
      repository: 'octo-org/web',
      repositoryUrl: url,
      environment: 'qa',
      entries: [],
      now,
    });
    expect(reply.text).toBe('No deployments of *octo-org/web* in *qa* yet.');
  });

  it('escapes refs and users', () => {
    const reply = renderHistory({
      repository: 'octo-org/web',
      repositoryUrl: url,
      entries: [{ ...entry(1), ref: HOSTILE, deployUser: HOSTILE }],
      now,
    });
    expectNoHostileMarkup(reply);
  });
});

describe('confirmation prompt', () => {
  const commit = (i: number) => ({
    sha: `${i}`.padStart(40, 'c'),
    message: `Change number ${i}\n\nLong body that is not shown`,
    author: `dev${i}`,
  });
  const request = (count: number, extra: Partial<ConfirmationRequest> = {}): ConfirmationRequest => ({
    id: 'confirm-1',
    repository: 'octo-org/web',
    repositoryUrl: url,
    environment: 'production',
    ref: 'main',
    sha,
    currentSha: oldSha,
    commits: Array.from({ length: Math.min(count, 250) }, (_, i) => commit(i)),
    totalCommits: count,
    compareUrl: `${url}/compare/${oldSha}...${sha}`,
    ...extra,
  });

  it('shows what will ship, with Deploy and Cancel for the asker', () => {
    const reply = renderConfirmation(request(3));
    const text = allText(reply);
    expect(text).toContain('Deploy *octo-org/web* `main`');
    expect(text).toContain('3 commits since');
    expect(text).toContain(`<${url}/compare/${oldSha}...${sha}|the whole diff>`);
    expect(text).toContain('Change number 0 _dev0_');
    expect(text).not.toContain('Long body');
    expect(text).not.toContain('more');
    expect(buttons(reply)).toEqual([
      expect.objectContaining({ action_id: ACTION_DEPLOY_CONFIRM, value: 'confirm-1', style: 'primary' }),
      expect.objectContaining({ action_id: ACTION_DEPLOY_CANCEL, value: 'confirm-1' }),
    ]);
    expect([ACTION_DEPLOY_CONFIRM, ACTION_DEPLOY_CANCEL]).toEqual(['deploy_confirm', 'deploy_cancel']);
    expect(text).toContain('expire in 5 minutes');
  });

  it('shows 20 commits, then "and N more" with a warning', () => {
    const reply = renderConfirmation(request(300));
    const text = allText(reply);
    expect(text).toContain('300 commits since');
    expect(text).toContain('Change number 19');
    expect(text).not.toContain('Change number 20');
    expect(text).toContain('…and 280 more. :warning:');
    expectSectionsFitSlack(reply);
  });

  it.each<[string, Partial<ConfirmationRequest>, RegExp]>([
    [
      'first deploy',
      { currentSha: undefined, commits: [], totalCommits: 0 },
      /Nothing is deployed there yet/,
    ],
    ['same commit', { currentSha: sha, commits: [], totalCommits: 0 }, /already runs there/],
    ['one commit', { totalCommits: 1 }, /1 commit since/],
    [
      'rollback',
      { rollback: true, commits: [], totalCommits: 0 },
      /Roll back \*octo-org\/web\*.*goes back from/s,
    ],
    ['forced', { forced: true }, /Forced past failing checks/],
  ])('%s', (_name, extra, expected) => {
    expect(allText(renderConfirmation(request(1, extra)))).toMatch(expected);
  });

  it('escapes commit messages, authors and refs; long ones stay within Slack limits', () => {
    const hostile = { sha, message: `${HOSTILE}${'<'.repeat(500)}`, author: HOSTILE };
    const reply = renderConfirmation({
      ...request(20, { ref: HOSTILE }),
      commits: Array.from({ length: 20 }, () => hostile),
    });
    expectNoHostileMarkup(reply);
    expectSectionsFitSlack(reply);
  });

  it('expired', () => {
    expect(renderConfirmationExpired().text).toMatch(/expired after 5 minutes; nothing was deployed/);
  });
});

describe('approval request', () => {
  it('asks for an approval with a button', () => {
    const reply = renderApprovalRequest({
      id: 'appr-1',
      requesterId: 'U0DEV',
      repository: 'octo-org/web',
      repositoryUrl: url,
      environment: 'production',
      ref: 'main',
      sha,
      approvalsMissing: 1,
      approvers: ['<!subteam^S0DEVS>'],
    });
    expect(reply.text).toContain('<@U0DEV> wants to deploy *octo-org/web* `main`');
    expect(reply.text).toContain('It needs an approval from <!subteam^S0DEVS>.');
    expect(buttons(reply)).toEqual([
      expect.objectContaining({ action_id: 'deploy_approve', value: 'appr-1' }),
    ]);
  });
});

describe('locks', () => {
  const lock: Lock = {
    repository: 'octo-org/web',
    environment: 'production',
    holder: 'U0HOLDER',
    reason: HOSTILE,
    lockedAt: now,
    expiresAt: now + 2 * HOUR_MS,
  };

  it.each<[string, MessageContent, string[]]>([
    [
      'locked',
      renderLocked(lock),
      ['Locked: *production* of *octo-org/web* for 2h', HOSTILE_ESCAPED, 'or the lock expires'],
    ],
    [
      'lock updated',
      renderLocked(withoutExpiry(lock), { updated: true }),
      ['Lock updated', '`unlock production on octo-org/web`'],
    ],
    [
      'unlocked by the holder',
      renderUnlocked(lock, 'U0HOLDER'),
      ['<@U0HOLDER> unlocked *production* of *octo-org/web*.'],
    ],
    [
      'unlocked by an admin',
      renderUnlocked(lock, 'U0ADMIN'),
      ['<@U0ADMIN> unlocked', "(it was <@U0HOLDER>'s)"],
    ],
    ['not locked', renderNotLocked('octo-org/web', 'production'), ['is not locked']],
    [
      'stolen',
      renderLockStolen({ lock: { ...lock, holder: 'U0ADMIN' }, previousHolder: 'U0HOLDER' }),
      ['<@U0HOLDER>, <@U0ADMIN> took over your lock'],
    ],
    [
      'expired',
      renderLockExpired(lock),
      ["<@U0HOLDER>'s lock on *production* of *octo-org/web*", 'expired', HOSTILE_ESCAPED],
    ],
  ])('%s', (_name, reply, expected) => {
    const text = allText(reply);
    for (const part of expected) expect(text).toContain(part);
    expectNoHostileMarkup(reply);
  });

  it('steal prompt: who holds it, and buttons', () => {
    const reply = renderStealPrompt({
      id: 'steal-1',
      existing: { ...lock, lockedAt: now - 30 * MINUTE_MS },
      now,
    });
    expect(allText(reply)).toContain('is locked by <@U0HOLDER> (30m ago, 2h left)');
    expect(allText(reply)).toContain('Take it over? <@U0HOLDER> will be told.');
    expect(buttons(reply).map((b) => [b.action_id, b.value])).toEqual([
      ['lock_steal_confirm', 'steal-1'],
      ['lock_steal_cancel', 'steal-1'],
    ]);
    expectNoHostileMarkup(reply);
  });
});

function withoutExpiry(lock: Lock): Lock {
  const { expiresAt: _expiresAt, ...rest } = lock;
  return rest;
}

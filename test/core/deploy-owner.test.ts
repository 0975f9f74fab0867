import { describe, expect, it } from 'vitest';
import { isOwnDeploy } from '../../src/core/deploy-owner.js';

const alice = { slackUserId: 'U0ALICE', githubLogin: 'alice-gh', deployUser: 'alice-gh' };
const bob = { slackUserId: 'U0BOB', deployUser: 'bob' };

describe('isOwnDeploy', () => {
  it.each<[string, { payload: unknown; creator: string | undefined }, typeof alice | typeof bob, boolean]>([
    [
      'a chat deploy of theirs',
      { payload: { deploy_user: 'x', notify: { user: 'U0ALICE' } }, creator: 'bot' },
      alice,
      true,
    ],
    [
      "someone else's chat deploy, whatever its deploy_user",
      { payload: { deploy_user: 'alice-gh', notify: { user: 'U0BOB' } }, creator: 'alice-gh' },
      alice,
      false,
    ],
    [
      'a merge deploy of their pull request',
      { payload: { deploy_user: 'Alice-GH', notify: { channel: 'C' } }, creator: 'bot' },
      alice,
      true,
    ],
    ['one they created on GitHub', { payload: undefined, creator: 'ALICE-gh' }, alice, true],
    ['one created on GitHub by someone else', { payload: undefined, creator: 'mallory' }, alice, false],
    [
      'a payload sent as a JSON string',
      { payload: '{"notify":{"user":"U0BOB"}}', creator: undefined },
      bob,
      true,
    ],
    ['one that says nothing of who asked', { payload: {}, creator: undefined }, bob, false],
  ])('%s', (_name, deployment, asker, own) => {
    expect(isOwnDeploy(deployment, asker)).toBe(own);
  });
});

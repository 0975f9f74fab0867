import { describe, expect, it } from 'vitest';
import {
  buildMergeDeployPayload,
  readDeployUser,
  readForced,
  readNotifyChannel,
  readPullRequestNumber,
} from '../../src/core/payload.js';

describe('readNotifyChannel', () => {
  it.each([
    ['deploybot notify.channel', { notify: { adapter: 'slack', channel: 'C0WEB' } }, 'C0WEB'],
    ["hubot-deploy's notify.room", { notify: { adapter: 'slack', room: 'C0OPS' } }, 'C0OPS'],
    ['channel wins over room', { notify: { channel: 'C1', room: 'C2' } }, 'C1'],
    ['JSON string payload', JSON.stringify({ notify: { room: 'C0STR' } }), 'C0STR'],
    ['no notify', { deploy_user: 'x' }, undefined],
    ['empty channel', { notify: { channel: '  ' } }, undefined],
    ['not JSON', 'garbage{', undefined],
    ['null', null, undefined],
    ['array', [1, 2], undefined],
  ])('%s', (_name, payload, expected) => {
    expect(readNotifyChannel(payload)).toBe(expected);
  });
});

describe('payload readers', () => {
  it.each([
    [{ deploy_user: 'octocat', pull_request: 42, forced: true }, 'octocat', 42, true],
    [{ deploy_user: '', pull_request: -1 }, undefined, undefined, false],
    [{ pull_request: '42' }, undefined, undefined, false],
    [{}, undefined, undefined, false],
  ])('%j', (payload, user, pr, forced) => {
    expect(readDeployUser(payload)).toBe(user);
    expect(readPullRequestNumber(payload)).toBe(pr);
    expect(readForced(payload)).toBe(forced);
  });
});

describe('buildMergeDeployPayload', () => {
  it("follows hubot-deploy's notify convention", () => {
    expect(buildMergeDeployPayload({ author: 'octocat', pullRequest: 42, channel: 'C0WEB' })).toEqual({
      deploy_user: 'octocat',
      pull_request: 42,
      notify: { adapter: 'slack', channel: 'C0WEB' },
    });
  });
});
